"""Loading: files, packages and folders, fresh namespaces on every load, configuration."""

from __future__ import annotations

import hashlib
from pathlib import Path

from conftest import MODELS_DIR

from archkit.engine.loader import load_path

MODEL_WITH_LOCAL_IMPORT = """
from archkit import Workspace
from naming import SYSTEM_NAME

ws = Workspace("Shop")
ws.system(SYSTEM_NAME, "Sells things")
"""


def test_example_models_load_cleanly(cli):
    result = cli("check", MODELS_DIR)
    assert result.exit_code == 0, result.stderr
    assert "ok  Parcel shipping" in result.stdout
    assert "ok  Travel booking" in result.stdout
    assert "ok  Food delivery" in result.stdout


def test_a_reload_sees_the_edited_local_module(write_model):
    write_model("SYSTEM_NAME = 'Shop v1'\n", name="naming.py")
    model = write_model(MODEL_WITH_LOCAL_IMPORT)
    [first] = load_path(model)
    assert [s.name for s in first.workspaces[0].systems] == ["Shop v1"]
    assert model.parent / "naming.py" in first.files

    (model.parent / "naming.py").write_text("SYSTEM_NAME = 'Shop v2'\n")
    [second] = load_path(model)
    assert [s.name for s in second.workspaces[0].systems] == ["Shop v2"]


def test_a_package_model_with_relative_imports(tmp_path: Path):
    package = tmp_path / "estate"
    package.mkdir()
    (package / "__init__.py").write_text("from archkit import Workspace\nfrom .people import add_people\n"
                                         "ws = Workspace('Estate')\nadd_people(ws)\n")
    (package / "people.py").write_text("def add_people(ws):\n    ws.person('Clerk', 'Works the till')\n")
    [model] = load_path(package)
    assert [p.name for p in model.workspaces[0].people] == ["Clerk"]
    assert package / "people.py" in model.files


def test_a_folder_loads_every_model_and_skips_helpers(tmp_path: Path):
    (tmp_path / "a.py").write_text("from archkit import Workspace\nws = Workspace('A')\n")
    (tmp_path / "b.py").write_text("from archkit import Workspace\nws = Workspace('B')\n")
    (tmp_path / "helpers.py").write_text("X = 1\n")
    names = [ws.name for m in load_path(tmp_path) for ws in m.workspaces]
    assert names == ["A", "B"]


def test_bare_command_uses_the_models_from_pyproject(cli, tmp_path: Path, monkeypatch):
    (tmp_path / "arch").mkdir()
    (tmp_path / "arch" / "shop.py").write_text("from archkit import Workspace\nws = Workspace('Shop')\n")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.archkit]\nmodels = ["arch/shop.py"]\n')
    monkeypatch.chdir(tmp_path)
    result = cli("check")
    assert result.exit_code == 0, result.stderr
    assert "ok  Shop" in result.stdout


def test_archkit_toml_and_an_unknown_setting(cli, tmp_path: Path, monkeypatch):
    (tmp_path / "archkit.toml").write_text('models = ["m.py"]\ncolour = "blue"\n')
    monkeypatch.chdir(tmp_path)
    result = cli("check")
    assert result.exit_code == 2
    assert "unknown archkit setting(s): colour" in result.stderr


def test_no_model_and_no_config_says_what_to_do(cli, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("check")
    assert result.exit_code == 2
    assert "no model given" in result.stderr


def test_every_command_explains_itself(cli):
    result = cli("--help")
    assert result.exit_code == 0
    for command in ("check", "render"):
        assert command in result.stdout
        sub = cli(command, "--help")
        assert sub.exit_code == 0 and "Usage: " in sub.stdout



def test_bare_render_uses_models_output_and_formats_from_the_config(cli, tmp_path: Path, monkeypatch):
    (tmp_path / "arch").mkdir()
    (tmp_path / "arch" / "shop.py").write_text(
        "from archkit import Workspace\nws = Workspace('Shop')\nu = ws.person('User')\ns = ws.system('Shop')\n"
        "u.uses(s, 'Buys')\n"
    )
    (tmp_path / "archkit.toml").write_text(
        'models = ["arch"]\noutput = "docs/architecture"\nformats = ["c4-mermaid"]\n'
    )
    sub = tmp_path / "arch"
    monkeypatch.chdir(sub)  # the config is found upwards; its paths are relative to it
    result = cli("render")
    assert result.exit_code == 0, result.stderr
    written = sorted(p.relative_to(tmp_path).as_posix() for p in (tmp_path / "docs").rglob("*.mmd"))
    assert written == ["docs/architecture/shop/c4/context-shop.mmd", "docs/architecture/shop/c4/landscape.mmd"]
    override = cli("render", "-o", tmp_path / "elsewhere", "-f", "structurizr")
    assert override.exit_code == 0
    assert (tmp_path / "elsewhere" / "shop" / "structurizr" / "workspace.dsl").is_file()


def test_a_model_loaded_again_frees_the_previous_one(spec_model) -> None:
    """Watch mode loads the model on every save: the old model (frozen away from the collector after its
    load, and full of reference cycles) must be freed by the next load, not kept for the session."""
    import weakref

    from archkit.engine.loader import load_path

    first = load_path(spec_model)
    old = weakref.ref(first[0].workspaces[0])
    del first
    load_path(spec_model)
    assert old() is None


def test_the_contract_model_is_the_design_contract_unchanged(cli):
    """models/food_delivery.py is the model API contract: it must load, and stay byte-for-byte what it was.

    Editing it means the public API changed; the digest below is the design's spec/food_delivery.py.
    """
    from conftest import SPEC_MODEL

    digest = hashlib.sha256(SPEC_MODEL.read_bytes()).hexdigest()
    assert digest == "d0db6a74a4249efabea7927d8d1544fde7f93d9aa8d71e6150d64738aecfbd18"
    result = cli("check", SPEC_MODEL)
    assert result.exit_code == 0, result.stderr
