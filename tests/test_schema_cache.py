"""The payload schema cache: a warm run generates no schema and writes the same files; anything a schema
depends on invalidates it; a broken or unwritable cache never fails a run; --no-cache leaves it alone."""

from __future__ import annotations

import hashlib
import json
import os
import sys
import textwrap
from pathlib import Path

import pytest

from archkit.engine import schema_cache, schema_jobs
from archkit.engine import session as session_module
from archkit.engine.session import Session

MODEL = """
import os
from enum import Enum
from pydantic import BaseModel, Field
from archkit import Event, Workspace

ws = Workspace("Shop")
app = ws.system("Shop")
orders = app.container("Orders")
billing = app.container("Billing")
kafka = app.broker("Kafka", kind="kafka")


class Size(Enum):
    S = "s"
    M = "m"


class Address(BaseModel):
    \"\"\"Where it goes.\"\"\"
    street: str = Field(description=os.environ.get("STREET_NOTE", "the street"))


class OrderPlaced(Event, version=1, key="order_id"):
    \"\"\"An order was accepted.\"\"\"
    order_id: str
    size: Size
    ship_to: Address
    priority: int = int(os.environ.get("DEFAULT_PRIORITY", "1"))
{fields}

class OrderShipped(Event):
    order_id: str


topic = kafka.topic("shop.orders.v1", partitions=6, key="order_id")
orders.publishes(OrderPlaced, on=topic)
orders.publishes(OrderShipped, on=topic)
billing.consumes(OrderPlaced, on=topic, group="billing")
billing.consumes(OrderShipped, on=topic, group="billing")
"""
TEXT = "c4-plantuml,structurizr,sequence-plantuml,asyncapi,asyncapi-json"


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("ARCHKIT_CACHE_DIR", str(folder))
    return folder / "schemas"


@pytest.fixture
def model(tmp_path):
    def write(fields: str = "") -> Path:
        path = tmp_path / "models" / "shop.py"
        path.parent.mkdir(exist_ok=True)
        path.write_text(textwrap.dedent(MODEL.format(fields=fields)).lstrip())
        return path

    return write


class Loaded(dict):
    """A model's event classes by name, loaded in a new session as a command loads them (`.payloads`: its memo)."""

    def __init__(self, path: Path) -> None:
        session = Session()
        super().__init__({e.__name__: e for m in session.load([path]) for ws in m.workspaces for e in ws.index.event_classes})
        self.payloads = session.payloads


def events_of(path: Path) -> Loaded:
    return Loaded(path)


def hashes(folder: Path) -> dict[str, str]:
    return {str(f.relative_to(folder)): hashlib.sha256(f.read_bytes()).hexdigest()
            for f in sorted(folder.rglob("*")) if f.is_file() and not f.name.startswith(".")}


def test_a_warm_load_gets_every_schema_from_the_cache_and_renders_the_same_bytes(cli, cache, model, tmp_path):
    path = model()
    assert cli("render", path, "-o", tmp_path / "cold", "-f", TEXT).exit_code == 0
    assert [f.name for f in cache.iterdir()] == [schema_cache.cache_file(path.resolve()).name]
    events = events_of(path)
    assert all(events.payloads.known(e) is not None for e in events.values())  # seeded: pydantic is not asked
    for event in events.values():
        assert events.payloads.known(event) == event.model_json_schema()
    assert cli("render", path, "-o", tmp_path / "warm", "-f", TEXT).exit_code == 0
    assert cli("render", path, "-o", tmp_path / "none", "-f", TEXT, "--no-cache").exit_code == 0
    assert hashes(tmp_path / "cold") == hashes(tmp_path / "warm") == hashes(tmp_path / "none")
    assert hashes(tmp_path / "cold")


def test_spec_and_example_models_render_and_lock_byte_identical_from_the_cache(cli, cache, spec_model, tmp_path):
    from conftest import MODELS_DIR

    for path in (spec_model, MODELS_DIR / "parcel_shipping.py", MODELS_DIR / "travel_booking"):
        outputs = []
        for run, extra in (("cold", ()), ("warm", ()), ("none", ("--no-cache",))):
            out = tmp_path / f"{path.stem}-{run}"
            assert cli("render", path, "-o", out, "-f", "plantuml,mermaid,structurizr,asyncapi-all", *extra).exit_code == 0
            assert cli("lock", path, "-o", out / "lock.json", *extra).exit_code == 0
            outputs.append(hashes(out))
        assert outputs[0] == outputs[1] == outputs[2], path
    assert len(list(cache.iterdir())) == 3


def test_adding_a_field_to_an_event_invalidates_the_cache(cli, cache, model, tmp_path):
    path = model()
    assert cli("lock", path, "-o", tmp_path / "lock.json").exit_code == 0
    model("    note: str = 'x'\n")
    events = events_of(path)
    assert all(events.payloads.known(e) is None for e in events.values())  # the file changed: nothing is reused
    assert "note" in events.payloads.of(events["OrderPlaced"])["properties"]
    assert cli("lock", path, "-o", tmp_path / "lock.json").exit_code == 0
    assert "note" in json.loads((tmp_path / "lock.json").read_text())["workspaces"]["Shop"]["messages"][
        "OrderPlaced"]["schema"]["properties"]
    assert len(list(cache.iterdir())) == 1  # the model's one file, overwritten


@pytest.mark.parametrize(("variable", "value", "shown"), [
    ("DEFAULT_PRIORITY", "7", '"default": 7'),  # a field of the event
    ("STREET_NOTE", "kerb side", '"description": "kerb side"'),  # a field of a model the event refers to
])
def test_a_field_built_from_the_environment_misses_when_the_variable_changes(cli, cache, model, tmp_path, monkeypatch,
                                                                              variable, value, shown):
    path = model()
    assert cli("render", path, "-o", tmp_path / "before", "-f", "asyncapi-json").exit_code == 0
    monkeypatch.setenv(variable, value)  # the same source files: only the fingerprint can tell
    events = events_of(path)
    assert events.payloads.known(events["OrderPlaced"]) is None
    assert events.payloads.known(events["OrderShipped"]) is not None  # untouched by the variable: still cached
    assert cli("render", path, "-o", tmp_path / "after", "-f", "asyncapi-json").exit_code == 0
    before = "".join(f.read_text() for f in sorted((tmp_path / "before").rglob("*.json")))
    after = "".join(f.read_text() for f in sorted((tmp_path / "after").rglob("*.json")))
    assert shown not in before and shown in after


def test_a_corrupt_cache_file_is_ignored_and_replaced(cli, cache, model, tmp_path):
    path = model()
    assert cli("render", path, "-o", tmp_path / "first", "-f", TEXT).exit_code == 0
    file = schema_cache.cache_file(path.resolve())
    for garbage in (b"\x00not json{", b'{"format": 1, "key": 3, "schemas": []}', b"[]"):
        file.write_bytes(garbage)
        events = events_of(path)
        assert all(events.payloads.known(e) is None for e in events.values())
        result = cli("render", path, "-o", tmp_path / "again", "-f", TEXT)
        assert result.exit_code == 0, result.output
        assert hashes(tmp_path / "again") == hashes(tmp_path / "first")
        assert json.loads(file.read_bytes())["format"] == schema_cache.FORMAT  # written afresh


def test_a_cache_entry_with_a_wrong_schema_shape_is_not_used(cli, cache, model, tmp_path):
    path = model()
    assert cli("lock", path, "-o", tmp_path / "lock.json").exit_code == 0
    file = schema_cache.cache_file(path.resolve())
    data = json.loads(file.read_bytes())
    for entry in data["schemas"].values():
        entry["schema"] = ["not", "a", "schema"]
    file.write_text(json.dumps(data))
    events = events_of(path)
    assert all(events.payloads.known(e) is None for e in events.values())


@pytest.mark.parametrize("command", ["render", "lint", "lock"])
def test_no_cache_writes_nothing_to_the_cache_folder(cli, cache, model, tmp_path, command):
    path = model()
    extra = {"render": ["-o", tmp_path / "out", "-f", TEXT], "lock": ["-o", tmp_path / "lock.json"], "lint": []}[command]
    result = cli(command, path, *extra, "--no-cache")
    assert result.exit_code in (0, 1), result.output
    assert not cache.exists()


def test_cache_false_in_the_configuration_turns_it_off(cli, cache, model, tmp_path, monkeypatch):
    path = model()
    (tmp_path / "archkit.toml").write_text("cache = false\n")
    monkeypatch.chdir(tmp_path)
    assert cli("lock", path, "-o", tmp_path / "lock.json").exit_code == 0
    assert not cache.exists()
    (tmp_path / "archkit.toml").write_text('cache = "no"\n')
    result = cli("lock", path, "-o", tmp_path / "lock.json")
    assert result.exit_code == 2 and "cache must be true or false" in result.output


def test_an_unwritable_cache_folder_does_not_fail_a_run(cli, model, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("ARCHKIT_CACHE_DIR", str(blocker))  # schemas/ cannot be created under a file
    path = model()
    for _ in range(2):
        result = cli("render", path, "-o", tmp_path / "out", "-f", TEXT)
        assert result.exit_code == 0, result.output
        assert cli("lock", path, "-o", tmp_path / "lock.json").exit_code == 0
    assert blocker.read_text() == "not a folder"


def test_events_from_outside_the_model_files_are_never_cached(cli, cache, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "path", list(sys.path))  # the model adds a folder; forget it afterwards
    monkeypatch.delitem(sys.modules, "cache_test_contracts", raising=False)
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "cache_test_contracts.py").write_text(textwrap.dedent("""
        from archkit import Event

        class Shared(Event):
            id: str
    """))
    models = tmp_path / "models"
    models.mkdir()
    path = models / "shop.py"
    path.write_text(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(shared)!r})
        from cache_test_contracts import Shared
        from archkit import Event, Workspace

        class Local(Event):
            id: str

        ws = Workspace("Shop")
        app = ws.system("Shop")
        a = app.container("A")
        topic = app.broker("Kafka", kind="kafka").topic("t")
        a.publishes(Shared, on=topic)
        a.publishes(Local, on=topic)
    """))
    assert cli("lock", path, "-o", tmp_path / "lock.json").exit_code == 0
    names = list(json.loads(schema_cache.cache_file(path.resolve()).read_bytes())["schemas"])
    assert names == ["shop.py:Local#0"]  # its file is not hashed: a change there would go unseen
    sys.modules.pop("cache_test_contracts", None)


def test_the_suite_never_touches_the_users_cache():
    assert schema_cache.cache_dir().is_relative_to(Path(os.environ["ARCHKIT_CACHE_DIR"]))
    assert not str(schema_cache.cache_dir()).startswith(str(Path.home() / ".cache"))


def test_nothing_is_saved_when_a_model_file_changed_after_the_load(cache, model):
    path = model()
    session = Session()
    loaded = session.load([path])
    for event in (e for m in loaded for ws in m.workspaces for e in ws.index.event_classes):
        session.payloads.of(event)
    model("    note: str = 'x'\n")  # saved by an editor while the run was rendering
    session.save()
    assert not cache.exists()  # the schemas are of the old file: stored under neither key
    model()
    session.save()
    assert schema_cache.cache_file(path.resolve()).is_file()


def test_a_warm_run_does_not_rewrite_the_cache_file(cli, cache, model, tmp_path):
    path = model()
    assert cli("lock", path, "-o", tmp_path / "lock.json").exit_code == 0
    file = schema_cache.cache_file(path.resolve())
    before = file.stat()
    assert cli("render", path, "-o", tmp_path / "out", "-f", TEXT).exit_code == 0
    assert cli("lint", path, "--baseline", tmp_path / "lock.json").exit_code in (0, 1)
    after = file.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


PACKAGE = {
    "__init__.py": """
        from archkit import Workspace

        ws = Workspace("Shop")
        app = ws.system("Shop")
        kafka = app.broker("Kafka", kind="kafka")

        from . import billing, orders  # noqa: E402
    """,
    "helpers.py": """
        def order_examples(schema):
            schema["examples"] = [{"order_id": "A-1"}]
    """,
    "orders.py": """
        from pydantic import ConfigDict

        from archkit import Event

        from . import app, helpers, kafka


        class OrderPlaced(Event):
            model_config = ConfigDict(json_schema_extra=lambda schema: helpers.order_examples(schema))
            order_id: str


        app.container("Orders").publishes(OrderPlaced, on=kafka.topic("shop.orders.v1"))
    """,
    "billing.py": """
        from pydantic import Field

        from archkit import Event

        from . import app, kafka


        class Charged(Event):
            order_id: str = Field(description="the order")


        app.container("Billing").publishes(Charged, on=kafka.topic("shop.charges.v1"))
    """,
}


def _package(tmp_path: Path, **changes: tuple[str, str]) -> Path:
    """The PACKAGE model under tmp_path/shop, each change a (text, replacement) in one of its files."""
    folder = tmp_path / "shop"
    folder.mkdir(exist_ok=True)
    for name, source in PACKAGE.items():
        text = textwrap.dedent(source).lstrip()
        old, new = changes.get(name.removesuffix(".py"), ("", ""))
        (folder / name).write_text(text.replace(old, new) if old else text)
    return folder


def _lock(cli, path: Path, out: Path) -> tuple[dict, str]:
    """`archkit -v lock`: the schemas it wrote, and what it said of the cache."""
    result = cli("-v", "lock", path, "-o", out)
    assert result.exit_code == 0, result.output
    said = next(line for line in result.stderr.splitlines() if line.startswith("payload schemas of shop"))
    return json.loads(out.read_text())["workspaces"]["Shop"]["messages"], said


forks: list[int] = []
os.register_at_fork(after_in_parent=lambda: forks.append(os.getpid()))


@pytest.fixture(params=["one process", "two cores"])
def cores(request, monkeypatch) -> str:
    """`lock` makes every payload schema: in one process (then the files each schema depends on are worked
    out when the cache is written, after the load), or during the load on two cores (each worker works
    them out for the schemas it makes), which the two events of PACKAGE are made enough to use here."""
    two = request.param == "two cores"
    monkeypatch.setattr(schema_jobs, "MIN_MISSING", 2)
    monkeypatch.setattr(session_module, "default_jobs", lambda: 2 if two else 1)
    before = len(forks)
    yield request.param
    assert (len(forks) > before) == two


def test_an_edit_regenerates_the_schemas_of_the_events_it_reaches_only(cli, cache, tmp_path, cores):
    path = _package(tmp_path)
    lock = tmp_path / "lock.json"
    messages, said = _lock(cli, path, lock)
    assert said == "payload schemas of shop: 0 from the cache, 2 made"
    assert messages["OrderPlaced"]["schema"]["examples"] == [{"order_id": "A-1"}]
    assert _lock(cli, path, lock)[1] == "payload schemas of shop: 2 from the cache, 0 made"

    _package(tmp_path, billing=('description="the order"', 'description="the order charged"'))
    messages, said = _lock(cli, path, lock)
    assert said == "payload schemas of shop: 1 from the cache, 1 made"  # OrderPlaced kept: its files are unchanged
    assert messages["Charged"]["schema"]["properties"]["order_id"]["description"] == "the order charged"

    # the helper OrderPlaced's schema calls, in a file of its own that no event is written in
    _package(tmp_path, billing=('description="the order"', 'description="the order charged"'),
             helpers=('"A-1"', '"B-2"'))
    messages, said = _lock(cli, path, lock)
    assert said == "payload schemas of shop: 1 from the cache, 1 made"  # Charged kept; OrderPlaced made again
    assert messages["OrderPlaced"]["schema"]["examples"] == [{"order_id": "B-2"}]
    assert messages["Charged"]["schema"]["properties"]["order_id"]["description"] == "the order charged"

    # the package's __init__, which both events' files import, but no schema's code reaches
    _package(tmp_path, billing=('description="the order"', 'description="the order charged"'),
             helpers=('"A-1"', '"B-2"'), __init__=('Workspace("Shop")', 'Workspace("Shop", description="Sells")'))
    assert _lock(cli, path, lock)[1] == "payload schemas of shop: 2 from the cache, 0 made"


def test_an_object_that_makes_new_objects_on_any_attribute_counts_on_every_file(cli, cache, tmp_path):
    """A class attribute whose `__getattr__` answers every name with a new object: the load still ends,
    and the event's schema is kept only while no model file changed (its code cannot be followed)."""
    odd = ("order_id: str = Field(description=\"the order\")",
           "order_id: str = Field(description=\"the order\")\n    registry: typing.ClassVar[object] = Anything()")
    anything = ("from . import app, kafka", "import typing\n\nfrom . import app, kafka\n\n\nclass Anything:\n"
                "    def __getattr__(self, name):\n        return Anything()\n")
    path = _package(tmp_path, billing=(odd[0], odd[1]))
    (path / "billing.py").write_text((path / "billing.py").read_text().replace(*anything))
    lock = tmp_path / "lock.json"
    assert _lock(cli, path, lock)[1] == "payload schemas of shop: 0 from the cache, 2 made"
    assert _lock(cli, path, lock)[1] == "payload schemas of shop: 2 from the cache, 0 made"
    (path / "helpers.py").write_text((path / "helpers.py").read_text() + "# edited\n")
    assert _lock(cli, path, lock)[1] == "payload schemas of shop: 0 from the cache, 2 made"  # OrderPlaced: its helper


def test_a_schema_json_cannot_hold_as_it_is_is_made_again_on_every_run(cli, cache, tmp_path):
    """A `json_schema_extra` with a tuple (JSON gives back a list) or an integer beyond 64 bits (the
    cache's JSON writer refuses it) is not kept; the plain event beside them is, and the lock is the same."""
    path = tmp_path / "shop.py"
    path.write_text(textwrap.dedent('''
        from pydantic import ConfigDict

        from archkit import Event, Workspace

        ws = Workspace("Shop")
        app = ws.system("Shop")
        kafka = app.broker("Kafka", kind="kafka")


        class Plain(Event):
            order_id: str


        class Pair(Event):
            model_config = ConfigDict(json_schema_extra={"x-pair": (1, 2)})
            order_id: str


        class Big(Event):
            model_config = ConfigDict(json_schema_extra={"x-big": 2 ** 70})
            order_id: str


        for event in (Plain, Pair, Big):
            app.container(event.__name__).publishes(event, on=kafka.topic(f"shop.{event.__name__.lower()}.v1"))
        ''').lstrip())
    said = []
    for n in (1, 2):
        result = cli("-v", "lock", path, "-o", tmp_path / f"lock-{n}.json")
        assert result.exit_code == 0, result.output
        said.append(next(line for line in result.stderr.splitlines() if line.startswith("payload schemas of")))
    assert said == ["payload schemas of shop.py: 0 from the cache, 3 made", "payload schemas of shop.py: 1 from the cache, 2 made"]
    assert (tmp_path / "lock-1.json").read_bytes() == (tmp_path / "lock-2.json").read_bytes()
    assert json.loads((tmp_path / "lock-2.json").read_text())["workspaces"]["Shop"]["messages"]["Big"]["schema"]["x-big"] == 2 ** 70
