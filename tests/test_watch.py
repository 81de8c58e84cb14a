"""`archkit watch` as a user runs it: a real subprocess on a copy of a model, edited the way editors save."""

from __future__ import annotations

import shutil
import signal
import textwrap
from pathlib import Path

import pytest
from watching import (
    REPO,
    WatchProcess,
    edit,
    mtimes,
    needs_plantuml,
    output_contains,
    pid_alive,
    save,
    snapshot,
    wait_until,
    write_tiny_model,
)

FORMATS = "sequence-plantuml,sequence-mermaid"
INVALID_REFERENCE = 'couriers.consumes(NotificationRequested, on=kitchen_topic, group="couriers")  # <-- bad\n'


@pytest.fixture
def model(tmp_path: Path, spec_model: Path) -> Path:
    """A copy of the spec model the test may edit."""
    copy = tmp_path / "models" / "food_delivery.py"
    copy.parent.mkdir()
    shutil.copy(spec_model, copy)
    return copy


@pytest.fixture
def watch(tmp_path: Path):
    """Start `archkit watch ARGS` in tmp_path; every process started is stopped at the end."""
    started: list[WatchProcess] = []

    def start(*args: str | Path) -> WatchProcess:
        process = WatchProcess(list(args), cwd=tmp_path)
        started.append(process)
        process.wait_renders(1)
        return process

    yield start
    for process in started:
        process.stop(signal.SIGKILL if process.proc.poll() is None else signal.SIGINT)


def test_edit_rewrites_only_changed_files(watch, model: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    process = watch(model, "-o", out, "-f", FORMATS)
    assert output_contains(out, "Courier service")
    before = mtimes(out)

    edit(model, '"Courier service"', '"Courier dispatch"')
    wait_until(lambda: output_contains(out, "Courier dispatch"), what="the edit in the output")

    line = process.wait_renders(2)[-1]
    assert "food_delivery.py ->" in line and " ms" in line and "written (" in line
    after = mtimes(out)
    changed = {path for path in after if after[path] != before.get(path)}
    assert changed and all(not output_contains_in(out, path, "Courier service") for path in changed)
    unchanged = [path for path in before if path not in changed and not path.startswith(".")]
    assert unchanged, "an edit of one container rewrote every file"
    assert process.proc.poll() is None


def output_contains_in(out: Path, path: str, text: str) -> bool:
    return text.encode() in (out / path).read_bytes()


def test_broken_model_keeps_last_output_and_recovers(watch, model: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    process = watch(model, "-o", out, "-f", FORMATS)
    good = snapshot(out)
    original = model.read_text()

    save(model, original + "\nbroken = (\n")  # a syntax error on the last line
    lines = len(original.splitlines())
    wait_until(lambda: any(f"food_delivery.py:{lines + 2}" in e for e in process.stderr),
               what=f"the syntax error with file:line\n{process.output()}")
    assert any("syntax error" in e for e in process.stderr)
    process.wait_renders(2)
    assert process.proc.poll() is None
    assert snapshot(out) == good

    save(model, original + INVALID_REFERENCE)  # valid Python, invalid model: an event on the wrong topic
    wait_until(lambda: any(f"food_delivery.py:{lines + 1}" in e and "NotificationRequested" in e
                           for e in process.stderr), what=f"the model error with file:line\n{process.output()}")
    process.wait_renders(3)
    assert process.proc.poll() is None
    assert snapshot(out) == good

    save(model, original.replace('"Courier service"', '"Courier dispatch"'))
    wait_until(lambda: output_contains(out, "Courier dispatch"), what="the fixed model's output")
    assert "written" in process.wait_renders(4)[-1]


def test_burst_of_saves_is_one_render(watch, model: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    process = watch(model, "-o", out, "-f", FORMATS)
    original = model.read_text()
    for n in range(10):  # a formatter or an impatient user: ten saves back to back
        save(model, original.replace('"Courier service"', f'"Courier v{n}"'))
    wait_until(lambda: output_contains(out, "Courier v9"), what="the last save in the output")
    wait_until(lambda: process.proc.poll() is None and not _quiet_since(process, 0.3), timeout=2, what="quiet")
    renders = process.renders[1:]
    assert 1 <= len(renders) <= 2, f"10 saves gave {len(renders)} renders:\n" + "\n".join(renders)


def _quiet_since(process: WatchProcess, seconds: float) -> bool:
    """False once `seconds` pass with no new render line (used as a bounded settle wait)."""
    import time

    count, deadline = len(process.renders), time.monotonic() + seconds
    while time.monotonic() < deadline:
        if len(process.renders) != count:
            return True
        time.sleep(0.02)
    return False


def test_local_import_change_rerenders(watch, tmp_path: Path) -> None:
    folder = tmp_path / "estate"
    folder.mkdir()
    (folder / "naming.py").write_text('SHOP = "Shop service"\n')
    model = folder / "model.py"
    model.write_text(textwrap.dedent("""
        from archkit import Workspace
        from naming import SHOP

        ws = Workspace("Shop")
        buyer = ws.person("Buyer", "Buys things")
        shop = ws.system("Shop", "Sells things").container(SHOP, "Takes orders")
        buyer.uses(shop, "Orders")
        ws.flow("Buy", "A buyer orders").call(buyer, shop, "Order")
    """))
    out = tmp_path / "out"
    process = watch(model, "-o", out, "-f", FORMATS)
    assert output_contains(out, "Shop service")

    save(folder / "naming.py", 'SHOP = "Storefront"\n')
    wait_until(lambda: output_contains(out, "Storefront"), what="the imported module's edit in the output")
    assert "naming.py ->" in process.wait_renders(2)[-1]

    (folder / "unrelated.py").write_text("x = 1\n")  # not imported by the model: no render
    assert not _quiet_since(process, 0.4)


def test_new_import_with_error_is_watched_until_fixed(watch, tmp_path: Path) -> None:
    folder = tmp_path / "estate"
    folder.mkdir()
    model = folder / "model.py"
    model.write_text(textwrap.dedent("""
        from archkit import Workspace
        ws = Workspace("Shop")
        buyer = ws.person("Buyer", "Buys things")
        shop = ws.system("Shop", "Sells things")
        buyer.uses(shop, "Orders")
        ws.flow("Buy", "A buyer orders").call(buyer, shop, "Order")
    """))
    out = tmp_path / "out"
    process = watch(model, "-o", out, "-f", FORMATS)

    save(folder / "extra.py", "def broken(:\n")
    save(model, "import extra\n" + model.read_text())
    wait_until(lambda: any("extra.py:1" in e for e in process.stderr), what=f"the error in extra.py\n{process.output()}")
    save(folder / "extra.py", 'NAME = "Warehouse"\n')
    save(model, model.read_text().replace('"Order")', 'extra.NAME)'))
    wait_until(lambda: output_contains(out, "Warehouse"), what=f"a good render after the fix\n{process.output()}")


def test_output_folder_inside_model_folder_does_not_loop(watch, model: Path) -> None:
    out = model.parent / "out"
    process = watch(model, "-o", out, "-f", FORMATS)
    assert not _quiet_since(process, 0.5), "the watch reacted to its own output"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_signal_stops_cleanly(watch, model: Path, tmp_path: Path, sig: int) -> None:
    process = watch(model, "-o", tmp_path / "out", "-f", FORMATS, "--serve", "--port", "0")
    children = process.descendants()
    assert process.stop(sig) == 0, process.output()
    assert not [pid for pid in children if pid_alive(pid)], "a child process outlived watch"
    assert not any("Traceback" in e for e in process.stderr), process.output()


def test_unknown_model_path_exits_2(cli_process, tmp_path: Path) -> None:
    result = cli_process("watch", tmp_path / "missing.py", "-o", tmp_path / "out")
    assert result.returncode == 2
    assert "missing.py" in result.stderr


def test_config_edit_takes_effect(watch, model: Path, tmp_path: Path) -> None:
    config = tmp_path / "archkit.toml"
    config.write_text(f'models = ["{model.as_posix()}"]\nformats = ["sequence-plantuml"]\n')
    process = watch()  # models, formats and output all from archkit.toml
    out = tmp_path / "output"
    assert list(out.rglob("*.puml")) and not list(out.rglob("*.mmd"))

    save(config, config.read_text().replace('["sequence-plantuml"]', '["sequence-plantuml", "sequence-mermaid"]'))
    wait_until(lambda: list(out.rglob("*.mmd")), what=f"Mermaid files after the config edit\n{process.output()}")
    assert "archkit.toml ->" in process.wait_renders(2)[-1]


def test_template_edit_rerenders(watch, model: Path, tmp_path: Path) -> None:
    templates = tmp_path / "my-templates"
    (templates / "sequence-plantuml").mkdir(parents=True)
    builtin = REPO / "templates" / "sequence-plantuml" / "flow.puml.j2"
    override = templates / "sequence-plantuml" / "flow.puml.j2"
    shutil.copy(builtin, override)
    out = tmp_path / "out"
    process = watch(model, "-o", out, "-f", "sequence-plantuml", "--templates", templates)
    assert not output_contains(out, "house style")

    save(override, "' house style\n" + override.read_text())
    wait_until(lambda: output_contains(out, "house style"), what=f"the template edit in the output\n{process.output()}")


@needs_plantuml
def test_pictures_redrawn_by_the_warm_plantuml_and_sigint_leaves_no_java(watch, tmp_path: Path) -> None:
    tiny_model = write_tiny_model(tmp_path)
    out = tmp_path / "out"
    process = watch(tiny_model, "-o", out, "-f", "sequence-plantuml,svg")
    svg = next(out.rglob("buy.svg"))
    java = [pid for pid in process.descendants() if "java" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")]
    assert len(java) == 1, "one warm PlantUML for the session"

    edit(tiny_model, '"Order")', '"Order twice")')
    wait_until(lambda: b"twice" in svg.read_bytes(), what=f"the edit in the SVG\n{process.output()}")
    assert java[0] in process.descendants(), "the same JVM drew the second picture"

    assert process.stop(signal.SIGINT) == 0, process.output()
    assert not pid_alive(java[0]), "PlantUML outlived watch"


def test_a_save_of_one_package_module_takes_the_fast_path_then_the_full_build(watch, tmp_path: Path, cli) -> None:
    package = tmp_path / "shop"
    shutil.copytree(REPO / "tests" / "data" / "watch_package", package, ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path / "out"
    process = watch(package, "-o", out, "-f", "c4-plantuml,c4-mermaid,structurizr,asyncapi")

    edit(package / "orders.py", '"Reads and writes"', '"Reads and writes orders"')

    fast, full = process.wait_renders(3)[1:3]
    assert "orders.py -> 2 written (shop/c4/container-orders.mmd, shop/c4/container-orders.puml)" in fast
    assert "changed views only; the full build follows" in fast
    assert "orders.py -> 1 written (shop/structurizr/workspace.dsl)" in full and "full build follows" not in full
    expected = tmp_path / "expected"
    assert cli("render", str(package), "-o", str(expected), "-f", "c4-plantuml,c4-mermaid,structurizr,asyncapi").exit_code == 0
    assert {k: v for k, v in snapshot(out).items() if not k.startswith(".")} == \
        {k: v for k, v in snapshot(expected).items() if not k.startswith(".")}


@needs_plantuml
def test_default_watch_draws_svg_but_no_png_unless_asked(watch, tmp_path: Path) -> None:
    tiny_model = write_tiny_model(tmp_path)
    default_out, png_out = tmp_path / "out", tmp_path / "out-png"
    watch(tiny_model, "-o", default_out)
    assert next(default_out.rglob("buy.svg")).read_bytes().lstrip().startswith(b"<")
    assert not list(default_out.rglob("*.png")), "watch draws PNG pictures only when -f asks for them"

    watch(tiny_model, "-o", png_out, "-f", "sequence-plantuml,png")
    assert next(png_out.rglob("buy.png")).read_bytes().startswith(b"\x89PNG")
