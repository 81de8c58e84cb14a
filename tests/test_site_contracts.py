"""The event pages show what `archkit lint` says about the event, and its version history from the lock
file with each step judged as lint judges it: a real `archkit lock`, a real model edit, a second lock."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import SPEC_MODEL
from test_site import XHTML, parse
from watching import needs_plantuml

pytestmark = needs_plantuml

FIELDS = "    customer_id: UUID\n    total: Money\n"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The spec model locked, then given a required field, locked again, then the field made optional."""
    root = tmp_path_factory.mktemp("locked")
    (root / "pyproject.toml").write_text("[tool.archkit]\n")
    model = root / "model.py"
    shutil.copy(SPEC_MODEL, model)
    return root


def run(root: Path, *args: str):  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from archkit.cli import main

    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        return CliRunner().invoke(main, list(args), catch_exceptions=False)


def edit(model: Path, old: str, new: str) -> None:
    text = model.read_text()
    assert old in text
    model.write_text(text.replace(old, new, 1))


@pytest.fixture(scope="module")
def site(project: Path) -> Path:
    model = project / "model.py"
    assert run(project, "lock", "model.py").exit_code == 0
    edit(model, FIELDS, FIELDS + "    coupon: str\n")
    assert run(project, "lock", "model.py").exit_code == 0
    edit(model, "    coupon: str\n", "    coupon: str | None = None\n    note: str = ''\n")
    assert run(project, "lock", "model.py").exit_code == 0
    edit(model, "    customer_id: UUID\n    total", "    total")  # not locked: lint reports it against the lock
    result = run(project, "render", "model.py", "-o", "out", "-f", "site")
    assert result.exit_code == 0, result.output
    return project / "out" / "food-delivery" / "site"


def section(page: Path, title: str) -> list[str]:
    """The text of each list item under the page's heading `title`."""
    body = list(parse(page).iter(f"{XHTML}main"))[0]
    children = list(body)
    start = next(i for i, e in enumerate(children) if e.tag == f"{XHTML}h2" and e.text == title)
    lists = next(e for e in children[start + 1:] if e.tag in (f"{XHTML}ul", f"{XHTML}ol", f"{XHTML}p"))
    return [" ".join("".join(li.itertext()).split()) for li in lists if li.tag == f"{XHTML}li"] or \
        [" ".join("".join(lists.itertext()).split())]


def test_the_event_page_lists_what_archkit_lint_reports_about_the_event(site: Path, project: Path):
    result = run(project, "lint", "model.py", "--format", "json")
    assert result.exit_code == 1, result.output  # the removed field breaks the lock
    reported = json.loads(result.output)
    findings = reported["findings"] if isinstance(reported, dict) else reported
    about = sorted(f["rule"] for f in findings if f.get("event") in ("OrderPlaced", "OrderPlaced v1"))
    assert "AK-C101" in about and "AK-D109" in about
    shown = section(site / "events" / "OrderPlaced-v1.html", "Lint findings")
    assert sorted(item.split()[1] for item in shown) == about
    assert any("customer_id" in item and "AK-C101" in item for item in shown)
    untouched = section(site / "events" / "CourierAssigned-v1.html", "Lint findings")
    assert all("customer_id" not in item for item in untouched)


def test_the_version_history_judges_each_locked_step_as_lint_does(site: Path):
    steps = section(site / "events" / "OrderPlaced-v1.html", "Version history")
    assert len(steps) == 2
    first, second = steps
    assert first.startswith("Schema 1 → 2") and "breaking" in first
    assert "required property 'coupon' added" in first and "breaks FULL (BACKWARD" in first
    assert second.startswith("Schema 2 → 3") and "breaking" in second
    assert "'coupon' became optional" in second and "FORWARD" in second
    assert "optional property 'note' added (allowed" in second  # allowed, but listed
    assert "unchanged since it was first locked" in " ".join(section(site / "events" / "PaymentFailed-v1.html",
                                                                      "Version history"))


def test_a_lint_that_cannot_run_leaves_the_render_going_and_the_pages_say_why(write_model, tmp_path: Path):
    write_model('''
        from archkit import Event, Workspace
        ws = Workspace("Shop")
        app = ws.system("Shop", "").container("App", "", technology="Python")
        topic = ws.system("Platform", "").broker("Kafka", kind="kafka").topic("orders")

        class Placed(Event):
            order_id: str

        app.publishes(Placed, topic)
    ''')
    (tmp_path / "pyproject.toml").write_text('[tool.archkit.lint]\ncompatibility = "SIDEWAYS"\n')
    result = run(tmp_path, "render", "model.py", "-o", "out", "-f", "site")
    assert result.exit_code == 0, result.output
    assert "note: the site's event pages show no lint findings:" in result.output and "SIDEWAYS" in result.output
    assert run(tmp_path, "lint", "model.py").exit_code == 2  # what stops lint itself
    [page] = (tmp_path / "out").glob("*/site/events/Placed-v1.html")
    assert "archkit lint could not run:" in page.read_text() and "SIDEWAYS" in page.read_text()
