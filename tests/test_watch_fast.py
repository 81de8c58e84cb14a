"""Watch mode's fast path: a save of one module of a model package re-runs only that module.

The property that matters to a user: every file the fast path writes holds exactly what a full render of
the edited model holds, and once the confirming full build has run, the output folder is byte for byte
the full render's. Each edit below is applied to a copy of a small model package; the watch builder's
output is compared with a fresh `render_to` of the edited package.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from archkit.engine.loader import load_paths
from archkit.engine.pipeline import render_to
from archkit.formats import RenderOptions, text_formats
from archkit.watch import Builder, BuildSettings

PACKAGE = Path(__file__).parent / "data" / "watch_package"
FORMATS_TEXT = list(text_formats())
#: Files of the formats that draw the whole model at once (no `views` in their record): written by the
#: confirming full build only.
WHOLE_MODEL = tuple(f.extension for f in text_formats().values() if f.views is None)

ADD_CONTAINER = '''
cache = system.container("Order cache", "Hot orders", technology="Redis")
api.uses(cache, "Caches orders", technology="RESP")
'''
NEW_FLOW = '''
refund = ws.flow("Refund", "A customer asks for money back")
refund.call(customer, api, "POST /refunds")
'''

#: (file, text to replace, replacement): each edit keeps the model valid and is applied in place.
FAST_EDITS = {
    "relationship description": ("orders.py", '"Reads and writes"', '"Reads and writes orders"'),
    "container description": ("orders.py", '"Accepts orders"', '"Accepts and validates orders"'),
    "container added": ("orders.py", 'flow = ws.flow(', ADD_CONTAINER + '\nflow = ws.flow('),
    "component added": ("orders.py", 'api.component("Admin"', 'api.component("Refunds", "Refund endpoints")\napi.component("Admin"'),
    "component removed": ("orders.py", 'api.component("Admin", "Back office endpoints", technology="FastAPI")\n', ''),
    "topic description": ("orders.py", '"Placed orders"', '"Every placed order"'),
    "flow step label": ("orders.py", '"POST /orders"', '"POST /v2/orders"'),
    "flow added": ("orders.py", 'flow.trace(OrderPlaced)\n', 'flow.trace(OrderPlaced)\n' + NEW_FLOW),
    "system renamed": ("orders.py", 'ws.system("Orders", "Takes orders")', 'ws.system("Ordering", "Takes orders")'),
    "technology changed": ("orders.py", 'technology="SQL"', 'technology="SQL over TLS"'),
    "event field added": ("contracts.py", "    total: Money\n", "    total: Money\n    note: str | None = None\n"),
    "event description": ("contracts.py", '"""The parcel left the warehouse."""', '"""The parcel left."""'),
    "deployment instances changed": ("deploy.py", "runs(orders.api, instances=2)", "runs(orders.api, instances=4)"),
    "deployment node added": ("deploy.py", 'production.node("RDS"', 'production.node("DNS", technology="Route 53")\nproduction.node("RDS"'),
    "shipping publishes more": ("shipping.py", "worker.publishes(OrderShipped, on=shipped)\n",
                                "worker.publishes(OrderShipped, on=shipped)\nworker.component(\"Courier API\", \"Talks to couriers\")\n"),
}

#: Edits the fast path must hand to a full build (it cannot reproduce them by re-running the file).
FULL_EDITS = {
    # shipping.connect(orders) in __init__ made a relationship to the API; the edit removes the API
    "element used by another file removed": ("orders.py", 'api.uses(db, "Reads and writes", technology="SQL")\n', "",
                                             'api = system.container("Order API", "Accepts orders", technology="Python")\n'),
    # the topic shipping consumes (through connect) changes its id
    "channel used by another file renamed": ("orders.py", '"orders.placed.v1"', '"orders.placed.v2"', None),
    # connect() runs from __init__: re-running shipping.py alone would not run the changed function
    "function called by another module edited": ("shipping.py", '"Book a courier"', '"Book the cheapest courier"', None),
    "package __init__ edited": ("__init__.py", '"Buys things"', '"Buys things online"', None),
}


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "shop"
    shutil.copytree(PACKAGE, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


def _full_render(package: Path, out: Path) -> dict[str, bytes]:
    workspaces = [ws for m in load_paths([package]) for ws in m.workspaces]
    render_to(out, workspaces, FORMATS_TEXT, RenderOptions())
    return _files(out)


def _edit(file: Path, old: str, new: str) -> None:
    text = file.read_text()
    assert old in text, f"the edit's anchor {old!r} is not in {file.name}"
    file.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize("name", sorted(FAST_EDITS))
def test_fast_path_writes_what_a_full_render_writes(tmp_path: Path, name: str) -> None:
    file_name, old, new = FAST_EDITS[name]
    package = _copy(tmp_path)
    out = tmp_path / "watch-out"
    builder = Builder(BuildSettings([package], out, FORMATS_TEXT, RenderOptions()))
    assert builder.build().ok
    before = _files(out)
    _edit(package / file_name, old, new)

    fast = builder.build({package / file_name})

    assert fast.ok and fast.provisional, fast.error
    expected = _full_render(package, tmp_path / "full-out")
    changed = {path for path, content in expected.items() if before.get(path) != content}
    now = _files(out)
    wrong = [path for path in fast.written if now[path] != expected.get(path)]
    assert not wrong, f"the fast path wrote files a full render writes differently: {wrong}"
    stale = sorted(p for p in changed if now.get(p) != expected[p] and not p.endswith(WHOLE_MODEL))
    assert not stale, f"the fast path left views stale: {stale}"
    assert changed, "the edit should change some output"

    confirmed = builder.build()
    assert confirmed.ok and not confirmed.provisional
    assert _files(out) == expected


@pytest.mark.parametrize("name", sorted(FULL_EDITS))
def test_edits_the_fast_path_cannot_apply_get_a_full_build(tmp_path: Path, name: str) -> None:
    file_name, old, new, also_remove = FULL_EDITS[name]
    package = _copy(tmp_path)
    out = tmp_path / "watch-out"
    builder = Builder(BuildSettings([package], out, FORMATS_TEXT, RenderOptions()))
    assert builder.build().ok
    _edit(package / file_name, old, new)
    if also_remove:
        _edit(package / file_name, also_remove, "")

    outcome = builder.build({package / file_name})

    assert not outcome.provisional
    if outcome.ok:
        assert _files(out) == _full_render(package, tmp_path / "full-out")
    else:  # the API's removal breaks the model; the full build says where
        assert "orders" in outcome.error or "api" in outcome.error


def test_a_model_error_in_the_edited_module_is_reported_by_the_full_build(tmp_path: Path) -> None:
    package = _copy(tmp_path)
    out = tmp_path / "watch-out"
    builder = Builder(BuildSettings([package], out, FORMATS_TEXT, RenderOptions()))
    assert builder.build().ok
    before = _files(out)
    _edit(package / "orders.py", 'api.uses(db, "Reads and writes", technology="SQL")',
          'api.uses(api, "Reads itself")')

    outcome = builder.build({package / "orders.py"})

    assert not outcome.ok and not outcome.provisional
    assert "orders.py:" in outcome.error and "uses itself" in outcome.error
    assert _files(out) == before  # the last good output stays


def test_a_fix_after_an_error_and_a_second_edit_use_the_fast_path_again(tmp_path: Path) -> None:
    package = _copy(tmp_path)
    out = tmp_path / "watch-out"
    builder = Builder(BuildSettings([package], out, FORMATS_TEXT, RenderOptions()))
    assert builder.build().ok
    orders = package / "orders.py"
    original = orders.read_text()
    orders.write_text(original + "\nthis is not python\n")
    assert not builder.build({orders}).ok
    orders.write_text(original)
    assert builder.build({orders}).ok  # full: nothing kept after a failed load
    _edit(orders, '"Takes orders"', '"Takes and tracks orders"')
    second = builder.build({orders})
    assert second.ok and second.provisional
    assert _files(out).items() >= {k: v for k, v in _full_render(package, tmp_path / "full").items()
                                   if not k.endswith(WHOLE_MODEL)}.items()


def test_a_single_file_model_and_its_helper_module(tmp_path: Path) -> None:
    """A model file is re-run whole (full build); a local module it imports can take the fast path."""
    (tmp_path / "contracts.py").write_text((PACKAGE / "contracts.py").read_text())
    model = tmp_path / "model.py"
    model.write_text(
        "from archkit import Workspace\nfrom contracts import OrderPlaced\n"
        'ws = Workspace("Solo")\nsystem = ws.system("Shop", "Sells")\n'
        'kafka = system.broker("Kafka", "Log", kind="kafka")\n'
        'api = system.container("API", "Takes orders")\n'
        'topic = kafka.topic("orders.v1", "Orders")\napi.publishes(OrderPlaced, on=topic)\n'
    )
    out = tmp_path / "out"
    builder = Builder(BuildSettings([model], out, FORMATS_TEXT, RenderOptions()))
    assert builder.build().ok
    _edit(model, '"Takes orders"', '"Takes all orders"')
    assert builder.build({model}).provisional is False
    _edit(tmp_path / "contracts.py", "    total: Money\n", "    total: Money\n    coupon: str | None = None\n")
    fast = builder.build({tmp_path / "contracts.py"})
    assert fast.ok and fast.provisional
    assert any(path.endswith("asyncapi/api.yaml") for path in fast.written)
    assert b"coupon" in (out / "solo" / "asyncapi" / "api.yaml").read_bytes()


def test_a_value_another_module_imported_gets_a_full_build(tmp_path: Path) -> None:
    """`from naming import SHOP` copied the old value into the model file: only re-running it shows the edit."""
    (tmp_path / "naming.py").write_text('SHOP = "Shop service"\n')
    model = tmp_path / "model.py"
    model.write_text('from archkit import Workspace\nfrom naming import SHOP\nws = Workspace("Solo")\n'
                     'ws.system("Shop", "Sells").container(SHOP, "Takes orders")\n')
    out = tmp_path / "out"
    builder = Builder(BuildSettings([model], out, FORMATS_TEXT, RenderOptions()))
    assert builder.build().ok
    _edit(tmp_path / "naming.py", '"Shop service"', '"Storefront"')
    outcome = builder.build({tmp_path / "naming.py"})
    assert outcome.ok and not outcome.provisional
    assert b"Storefront" in (out / "solo" / "c4" / "container-shop.puml").read_bytes()
