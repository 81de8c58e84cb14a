"""A model package's modules are compiled once and kept in archkit's cache, checked by their source's hash."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from archkit.engine import bytecode_cache, cache, forking
from archkit.engine.session import Session
from archkit.errors import LoadError, SourceLocation

INIT = """from archkit import Workspace
ws = Workspace("Shop")
shop = ws.system("Shop")
from . import services  # noqa: E402
"""
SERVICES = """from . import shop
shop.container("Orders", "Takes orders")
"""


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(cache.ENV_DIR, str(tmp_path / "cache"))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)  # Python itself would write __pycache__ here
    folder = tmp_path / "shop"
    folder.mkdir()
    (folder / "__init__.py").write_text(INIT)
    (folder / "services.py").write_text(SERVICES)
    return folder


def descriptions(path: Path, cache: bool = True) -> list[str]:
    """Load in a session, as every command does (`cache=False`: --no-cache)."""
    return [e.description for m in Session(cache=cache).load([path]) for ws in m.workspaces
            for e in ws.elements.values() if e.name == "Orders"]


def bytecode(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "cache" / "bytecode"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_modules_are_compiled_into_the_cache_not_beside_the_model(package: Path, tmp_path: Path) -> None:
    assert descriptions(package) == ["Takes orders"]
    assert len(bytecode(tmp_path)) == 1  # services.py (the package's __init__ is read by archkit itself)
    assert not list(package.rglob("__pycache__"))
    stored = bytecode(tmp_path)[0].read_bytes()
    assert descriptions(package) == ["Takes orders"]  # the second load reads it
    assert bytecode(tmp_path)[0].read_bytes() == stored


def test_an_edit_within_the_same_second_and_of_the_same_size_is_seen(package: Path, tmp_path: Path) -> None:
    """Python's own check (modification time in seconds, and size) would run the old code here."""
    services = package / "services.py"
    assert descriptions(package) == ["Takes orders"]
    before = services.stat()
    services.write_text(SERVICES.replace("Takes orders", "Keeps orders"))
    os.utime(services, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert services.stat().st_size == before.st_size
    assert descriptions(package) == ["Keeps orders"]


def test_a_damaged_cache_file_is_compiled_again(package: Path, tmp_path: Path) -> None:
    descriptions(package)
    bytecode(tmp_path)[0].write_bytes(b"\x00" * 40)
    assert descriptions(package) == ["Takes orders"]


def test_no_cache_writes_no_bytecode(package: Path, tmp_path: Path) -> None:
    assert descriptions(package, cache=False) == ["Takes orders"]
    assert bytecode(tmp_path) == []


def test_a_load_on_two_cores_compiles_the_package_ahead_into_the_same_cache(package: Path, tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A load that may use another core (its payload schemas are made on every core) has a worker compile
    the package's modules meanwhile: the cache then holds the bytes this process would have stored, and
    an error in a compiled-ahead module is still reported at its file and line."""
    if not (forking.forking_allowed() and forking.default_jobs() > 1):
        pytest.skip("one core, or a process that may not fork: nothing is compiled ahead")
    monkeypatch.setattr(bytecode_cache, "FEWEST_AHEAD", 1)  # three modules: below the bar where a fork pays
    (package / "billing.py").write_text("from . import shop\nshop.container('Billing', 'Takes money')\n")
    (package / "__init__.py").write_text(INIT.replace("import services", "import billing, services"))
    Session().load([package])
    alone = {p.name: p.read_bytes() for p in bytecode(tmp_path)}
    assert len(alone) == 2
    monkeypatch.setenv(cache.ENV_DIR, str(tmp_path / "cache-ahead"))
    (package / "unused.py").write_text("raise SystemExit('never imported')\n")
    Session().load([package], make_schemas=True, jobs=2)
    ahead = {p.name: p.read_bytes() for p in sorted((tmp_path / "cache-ahead" / "bytecode").iterdir())}
    assert len(ahead) == 3  # unused.py too: compiled by the worker, never run
    assert {name: data for name, data in ahead.items() if name in alone} == alone

    (package / "billing.py").write_text("from . import shop\n\nshop.container(undefined_name)\n")
    monkeypatch.setenv(cache.ENV_DIR, str(tmp_path / "cache-broken"))
    with pytest.raises(LoadError) as raised:
        Session().load([package], make_schemas=True, jobs=2)
    assert raised.value.location == SourceLocation(str(package / "billing.py"), 3)
