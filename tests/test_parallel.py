"""`archkit render` spreads a large model's text formats over processes: the same files, the same errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from archkit.engine import cache, forking, parallel, schema_jobs
from archkit.engine import session as session_module
from archkit.engine.loader import load_path
from archkit.engine.pipeline import render_text
from archkit.engine.session import Session
from archkit.errors import ArchkitError
from archkit.formats import RenderOptions, text_formats

REPO = Path(__file__).resolve().parent.parent
TEXT_FORMATS = list(text_formats())
C4_FAMILY = ["c4-plantuml", "c4-mermaid", "structurizr"]  # the heaviest family: rendered by this process

forks: list[int] = []
os.register_at_fork(after_in_parent=lambda: forks.append(os.getpid()))


@pytest.fixture(autouse=True)
def spread_the_m_estate(monkeypatch: pytest.MonkeyPatch) -> None:
    """The M estate (~500 elements and channels) is just below the size where spreading pays off; these
    tests are about the spreading, so they lower the bar below it (and above the spec model, ~25)."""
    monkeypatch.setattr(parallel, "MIN_PARALLEL_SIZE", 100)


@pytest.fixture(scope="module")
def estate_m(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The benchmark's M estate: 100 containers in ten model files."""
    folder = tmp_path_factory.mktemp("estate") / "estate"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), "M", str(folder)], check=True,
                   capture_output=True)
    return folder


def _workspaces(path: Path) -> list:
    return [ws for model in load_path(path) for ws in model.workspaces]


def _render(path: Path, formats: list[str], jobs: int, options: RenderOptions | None = None) -> tuple[list, int]:
    """The files, and how many processes were forked to make them."""
    workspaces = _workspaces(path)
    before = len(forks)
    files = render_text(workspaces, formats, options or RenderOptions(), jobs=jobs)
    return [(f.path, f.content) for f in files], len(forks) - before


def test_spread_over_processes_the_files_and_their_order_are_those_of_one_process(estate_m: Path) -> None:
    one, forked_for_one = _render(estate_m, TEXT_FORMATS, jobs=1)
    two, forked_for_two = _render(estate_m, TEXT_FORMATS, jobs=2)
    assert forked_for_one == 0
    assert forked_for_two >= 1  # the work really left this process
    assert len(two) > 400
    assert two == one


def test_a_small_model_is_rendered_in_one_process(spec_model: Path) -> None:
    one, _ = _render(spec_model, TEXT_FORMATS, jobs=1)
    two, forked = _render(spec_model, TEXT_FORMATS, jobs=2)
    assert forked == 0  # forking would cost more than the whole render
    assert two == one


def test_schemas_generated_in_a_worker_reach_the_schema_cache(estate_m: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """AsyncAPI is rendered by a worker here (the C4 family is heavier and stays in this process): the
    payload schemas it generated come back, so `archkit render` saves them for the next run."""
    monkeypatch.setenv(cache.ENV_DIR, str(tmp_path / "cold"))
    session = Session()
    models = session.load([estate_m])
    events = [e for m in models for ws in m.workspaces for e in ws.index.event_classes]
    assert events and all(session.payloads.known(e) is None for e in events)  # an empty cache: nothing seeded
    before = len(forks)
    render_text([ws for m in models for ws in m.workspaces], [*C4_FAMILY, "asyncapi"], RenderOptions(), jobs=2)
    assert len(forks) > before
    assert all(session.payloads.known(e) is not None for e in events)
    session.save()

    next_run = Session()
    again = next_run.load([estate_m])  # the next run finds every schema in the cache
    assert all(next_run.payloads.known(e) is not None for m in again for ws in m.workspaces for e in ws.index.event_classes)


def test_an_error_in_a_worker_is_reported_as_one_process_reports_it(estate_m: Path, tmp_path: Path) -> None:
    """The flows are drawn by a worker; their broken template fails it, and the error the user sees is
    the one a single process gives (file and line of the template), not a pickled remnant."""
    broken = tmp_path / "tpl" / "sequence-plantuml" / "flow.puml.j2"
    broken.parent.mkdir(parents=True)
    broken.write_text("@startuml\n{% if %}\n@enduml\n")
    options = RenderOptions(templates=tmp_path / "tpl")
    errors = []
    for jobs in (1, 2):
        with pytest.raises(ArchkitError) as raised:
            _render(estate_m, [*C4_FAMILY, "sequence-plantuml"], jobs, options)
        errors.append(str(raised.value))
    assert errors[0] == errors[1]
    assert "flow.puml.j2" in errors[0] and ":2" in errors[0]


def test_jobs_option(cli, spec_model: Path, tmp_path: Path) -> None:
    one = cli("render", spec_model, "-o", tmp_path / "one", "-f", "mermaid", "--jobs", "1")
    assert one.exit_code == 0, one.output
    zero = cli("render", spec_model, "-o", tmp_path / "zero", "-f", "mermaid", "--jobs", "0")
    assert zero.exit_code == 2
    assert "--jobs" in zero.output
    assert not (tmp_path / "zero").exists()


@pytest.fixture
def schemas_on_every_core(monkeypatch: pytest.MonkeyPatch) -> None:
    """The M estate has ~200 events, at the bar where making schemas on several cores starts to pay:
    these tests are about that step, so they lower the bar, and ask for two jobs on any machine."""
    monkeypatch.setattr(schema_jobs, "MIN_MISSING", 2)
    monkeypatch.setattr(session_module, "default_jobs", lambda: 2)


def test_an_empty_cache_made_on_two_cores_gives_the_files_and_the_cache_of_one(
        cli, estate_m: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, schemas_on_every_core: None) -> None:
    """`archkit render` with an empty schema cache makes the payload schemas on every core first: the
    AsyncAPI documents and the cache file it leaves are byte for byte those of one process."""
    outputs = {}
    for jobs in ("1", "2"):
        monkeypatch.setenv(cache.ENV_DIR, str(tmp_path / f"cache-{jobs}"))
        before = len(forks)
        result = cli("-q", "render", estate_m, "-o", tmp_path / f"out-{jobs}", "-f", "asyncapi,asyncapi-json",
                     "--jobs", jobs)
        assert result.exit_code == 0, result.output
        assert (len(forks) > before) == (jobs == "2")
        files = sorted(p for p in (tmp_path / f"out-{jobs}").rglob("*") if p.is_file())
        saved = list((tmp_path / f"cache-{jobs}").rglob("*.json"))
        assert len(files) > 100 and len(saved) == 1
        outputs[jobs] = ([(p.relative_to(tmp_path / f"out-{jobs}"), p.read_bytes()) for p in files], saved[0].read_bytes())
    assert outputs["2"] == outputs["1"]


def test_lint_with_an_empty_cache_makes_the_schemas_on_two_cores_and_finds_what_one_finds(
        cli, estate_m: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`archkit lint` against a lock reads every payload schema: with an empty cache its load makes them on
    every core; the report and the cache file it leaves are those of one process."""
    monkeypatch.setattr(schema_jobs, "MIN_MISSING", 2)
    lock = tmp_path / "lock.json"
    assert cli("lock", estate_m, "-o", lock).exit_code == 0
    seen = {}
    for jobs in (1, 2):
        monkeypatch.setattr(session_module, "default_jobs", lambda jobs=jobs: jobs)
        monkeypatch.setenv(cache.ENV_DIR, str(tmp_path / f"cache-{jobs}"))
        before = len(forks)
        result = cli("lint", estate_m, "--baseline", lock, "--format", "json")
        assert result.exit_code in (0, 1), result.output
        assert (len(forks) > before) == (jobs == 2)
        saved = list((tmp_path / f"cache-{jobs}").rglob("*.json"))
        assert len(saved) == 1
        seen[jobs] = (result.stdout, saved[0].read_bytes())
    assert seen[2] == seen[1]


#: A payload field that fails on another core -> (its line, what the error names, what it says further on)
FAILING_FIELDS = {
    "no-json-schema": ("    notify: Callable[[], None]  # <--", "field notify: no payload schema", "notify"),
    "misspelt-forward-reference": ('    notify: list["OrderLines"]  # <--', "field notify: NameError",
                                   "Did you mean: 'OrderLine'?"),
}


@pytest.mark.parametrize("command", [["check"], ["render", "-f", "asyncapi"], ["lock"]], ids=["check", "render", "lock"])
@pytest.mark.parametrize("mistake", sorted(FAILING_FIELDS))
def test_a_schema_that_fails_on_another_core_is_reported_at_its_field(
        cli, write_model, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, schemas_on_every_core: None,
        mistake: str, command: list[str]) -> None:
    """The missing schemas are made during the load on two cores, and Paid's fails in the worker (a type
    with no JSON Schema; a misspelt forward reference, which fails pydantic's build): the command still
    names the field's line, as one process does, exits 2 and writes nothing."""
    field, names, says = FAILING_FIELDS[mistake]
    model = write_model('''
        from collections.abc import Callable

        from pydantic import BaseModel

        from archkit import Event, Workspace

        ws = Workspace("Shop")
        shop = ws.system("Shop", "Sells things")
        payments = shop.container("Payment service", "Takes money")
        kafka = shop.broker("Kafka", "Event log", kind="kafka")


        class OrderLine(BaseModel):
            sku: str


        class Placed(Event):
            """Placed."""
            order_id: str


        class Paid(Event):
            """Paid."""
        FIELD


        class Shipped(Event):
            """Shipped."""
            order_id: str


        for event in (Placed, Paid, Shipped):
            payments.publishes(event, on=kafka.topic(f"{event.__name__.lower()}.v1", "Orders"))
        '''.replace("        FIELD", "        " + field))
    monkeypatch.setenv(cache.ENV_DIR, str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    before = len(forks)
    result = cli(*command, model, *(["-o", tmp_path / "out"] if command[0] != "check" else []))
    assert len(forks) > before  # Paid's schema was asked for in the worker
    assert result.exit_code == 2, result.output
    line = next(n for n, text in enumerate(model.read_text().splitlines(), 1) if "# <--" in text)
    assert result.stderr.startswith(f"model.py:{line}: error: event Paid, {names}"), result.stderr
    assert says in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "archkit.lock.json").exists()


def test_side_by_side_runs_its_first_call_in_another_process() -> None:
    """`archkit diff` reads OLD there and NEW here; a call that fails there runs again here, to raise here."""
    if not (forking.forking_allowed() and forking.default_jobs() > 1):
        pytest.skip("one core, or a process that may not fork: both calls run here")
    there, here = forking.side_by_side(lambda: os.getpid(), lambda: os.getpid())  # closures: never pickled
    assert here == os.getpid() and there != here
    calls: list[int] = []

    def fails() -> None:
        calls.append(os.getpid())
        raise ValueError("no")
    with pytest.raises(ValueError):
        forking.side_by_side(fails, os.getpid)
    assert calls == [os.getpid()]  # once here (the worker's try appended to the worker's copy)
