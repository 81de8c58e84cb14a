"""archkit's own imports, read with ast: the stages of docs/architecture.md, no cycle, no private name
used across packages.

A unit is a first-level package of archkit (`archkit/model/`, `archkit/engine/`, ...) or a top-level
module (`archkit/errors.py`); `archkit/__init__.py` (the public API) is the unit `archkit`. Every import
counts, the ones inside functions and under TYPE_CHECKING too: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "archkit"

#: Lowest first. A unit may import units of lower layers only (see docs/architecture.md).
LAYERS: list[tuple[str, ...]] = [
    ("errors",),
    ("output", "config"),
    ("model",),
    ("archkit",),
    ("contracts",),
    ("asyncapi",),
    ("views",),
    ("formats",),
    ("engine",),
    ("lint", "watch", "importer"),
    ("cli",),
    ("__main__",),
]
LAYER_OF = {unit: n for n, units in enumerate(LAYERS) for unit in units}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "archkit"


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


class Module:
    def __init__(self, path: Path):
        self.path = path
        self.name = _module_name(path)
        self.unit = _unit(self.name)
        self.tree = ast.parse(path.read_text(encoding="utf-8"), str(path))

    def imports(self) -> list[tuple[str, str | None, int]]:
        """(module imported from, name imported or None, line) for every archkit import."""
        package = self.name if self.path.name == "__init__.py" else self.name.rpartition(".")[0]
        found: list[tuple[str, str | None, int]] = []
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Import):
                found += [(a.name, None, node.lineno) for a in node.names if a.name.split(".")[0] == "archkit"]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")
                    base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
                if base.split(".")[0] == "archkit":
                    found += [(base, a.name, node.lineno) for a in node.names]
        return found

    def defined_private_names(self) -> set[str]:
        """Private names this module defines: functions, classes, variables, attributes it assigns."""
        names: set[str] = set()
        for node in ast.walk(self.tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                names.add(node.value)  # __slots__ entries, names given to setattr
        return {n for n in names if _is_private(n)}


MODULES = [Module(p) for p in sorted(PACKAGE.rglob("*.py"))]


def _imported_unit(module: str, name: str | None) -> str:
    """`from archkit import cli` imports the unit cli; `from archkit import Event` the public API."""
    if module == "archkit" and name is not None and (PACKAGE / name).is_dir() | (PACKAGE / f"{name}.py").is_file():
        return name
    return _unit(module)


def _unit_graph(modules: list[Module] | None = None) -> dict[str, dict[str, list[str]]]:
    """unit -> imported unit -> where ('archkit/x/y.py:12')."""
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for module in MODULES if modules is None else modules:
        for imported, name, line in module.imports():
            target = _imported_unit(imported, name)
            if target != module.unit:
                graph[module.unit][target].append(f"{module.path.relative_to(PACKAGE.parent)}:{line}")
    return graph


def _cycles(graph: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """A cycle of units, if the graph has one (graphlib finds it), else []."""
    try:
        TopologicalSorter({unit: set(targets) for unit, targets in graph.items()}).prepare()
    except CycleError as error:
        return [sorted(set(error.args[1]))]
    return []


def test_every_unit_is_a_declared_stage():
    """A new top-level module or package is a decision: place it in LAYERS and docs/architecture.md."""
    units = {m.unit for m in MODULES}
    assert units - LAYER_OF.keys() == set()
    top_level_modules = {m.unit for m in MODULES if m.path.parent == PACKAGE} - {"archkit", "__main__"}
    assert len(top_level_modules) <= 5, top_level_modules


def test_no_import_cycle_between_packages():
    graph = _unit_graph()
    cycles = _cycles(graph)
    described = []
    for cycle in cycles:
        for unit in cycle:
            for target in cycle:
                if target in graph[unit]:
                    described.append(f"{unit} -> {target} ({graph[unit][target][0]})")
    assert not cycles, "import cycles between packages: " + "; ".join(described)


def test_each_stage_imports_only_the_stages_below_it():
    upward = [
        f"{where}: {unit} imports {target}"
        for unit, targets in _unit_graph().items() for target, places in targets.items()
        for where in places if LAYER_OF[target] >= LAYER_OF[unit]
    ]
    assert upward == []


def _private_uses(modules: list[Module]) -> list[str]:
    """Every import of another unit's private name, and every read of a private attribute that only other
    units define (`old_index._memo` in views, where only model assigns `_memo`)."""
    defined: dict[str, set[str]] = defaultdict(set)  # private name -> units defining it
    for module in modules:
        for name in module.defined_private_names():
            defined[name].add(module.unit)
    found = []
    for module in modules:
        where = module.path.relative_to(PACKAGE.parent)
        for imported, name, line in module.imports():
            if name and _is_private(name) and _imported_unit(imported, name) != module.unit:
                found.append(f"{where}:{line}: imports {imported}.{name}")
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Attribute) and _is_private(node.attr):
                owners = defined.get(node.attr, set())
                if owners and module.unit not in owners:
                    found.append(f"{where}:{node.lineno}: uses .{node.attr} of {', '.join(sorted(owners))}")
    return found


def test_no_private_name_is_used_outside_its_package():
    assert _private_uses(MODULES) == []


@pytest.mark.parametrize("source, expected", [
    ("from archkit.engine.loader import _load\n", "archkit/lint/probe.py:1: imports archkit.engine.loader._load"),
    ("def f(index):\n    return index._memo\n", "archkit/lint/probe.py:2: uses ._memo of model"),
])
def test_the_private_name_check_sees_both_kinds_of_use(source, expected):
    """The check is not vacuous: a probe module in lint that imports a private name of engine, or reads
    the index's private memo, is reported."""
    probe = Module.__new__(Module)
    probe.path, probe.name, probe.unit = PACKAGE / "lint" / "probe.py", "archkit.lint.probe", "lint"
    probe.tree = ast.parse(source)
    assert [f for f in _private_uses([*MODULES, probe]) if "probe" in f] == [expected]


def test_the_cycle_and_layer_checks_see_an_upward_import():
    """A probe module in model importing the engine closes a cycle (engine imports model) and goes up."""
    probe = Module.__new__(Module)
    probe.path, probe.name, probe.unit = PACKAGE / "model" / "probe.py", "archkit.model.probe", "model"
    probe.tree = ast.parse("from archkit.engine.loader import load_paths\n")
    graph = _unit_graph([*MODULES, probe])
    assert any({"model", "engine"} <= set(cycle) for cycle in _cycles(graph))
    assert "archkit/model/probe.py:1" in graph["model"]["engine"]


ARCHITECTURE = PACKAGE.parent / "docs" / "architecture"


def _drawn_imports() -> dict[str, list[str]]:
    tree = ast.parse((ARCHITECTURE / "model.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "IMPORTS" for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError("docs/architecture/model.py has no IMPORTS")


def test_the_architecture_picture_draws_the_imports_the_code_has():
    """docs/architecture.md's picture is archkit's model of itself: its arrows are the real imports."""
    stages = {unit for unit in LAYER_OF if (PACKAGE / unit).is_dir()}
    drawn = {(a, b) for a, targets in _drawn_imports().items() for b in targets}
    real = {(a, b) for a, targets in _unit_graph().items() for b in targets if a in stages and b in stages}
    assert drawn == real


def test_the_committed_picture_is_what_archkit_renders_from_the_model(cli, tmp_path):
    result = cli("render", ARCHITECTURE / "model.py", "-o", tmp_path, "-f", "c4-plantuml", "--view", "container")
    assert result.exit_code == 0, result.output
    fresh = (tmp_path / "archkit" / "c4" / "container-archkit.puml").read_text(encoding="utf-8")
    assert fresh == (ARCHITECTURE / "container-archkit.puml").read_text(encoding="utf-8")
    assert (ARCHITECTURE / "container-archkit.svg").read_text(encoding="utf-8").lstrip().startswith("<svg")
