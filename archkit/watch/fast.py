"""Watch mode's fast path: a save of one module of a model package, applied to the loaded model in place.

A full build re-runs the whole package (at 1,000 containers, half a second of pydantic building event
classes alone) and renders every view. When a single module of a package changed, the fast path instead
takes out what that module built, re-runs only it (`archkit.model.rerun`, `archkit.engine.loader.rerun_module`),
resolves the model again and renders only the views whose content changed (`archkit.views.impact`):
C4 views, flows, the event map and AsyncAPI documents. Formats that draw the whole model in one file
(Structurizr DSL, the `diagrams` picture, the index) are left to the full build that always follows a
fast one and has the last word: it also catches what re-running one module cannot see, such as another
module's code that calls a function of the edited one.

Anything unexpected (a model error, an edit that removes an element other files use, a change to the
package's `__init__`) returns None: the caller then does the full build, which reports errors properly.
"""

from __future__ import annotations

import ast
import types
from dataclasses import replace
from pathlib import Path
from typing import Any

from archkit.engine.loader import LoadedModel, rerun_module
from archkit.engine.pipeline import render_text
from archkit.formats import RenderOptions, registry
from archkit.formats.asyncapi import VERSION_OPTION
from archkit.model.base import ModelObject
from archkit.model.events import collecting_events, is_event
from archkit.model.flows import Flow
from archkit.model.rerun import detach, reattach, same_functions
from archkit.output import OutputFile
from archkit.views.asyncapi import DEFAULT_VERSION, carry_schema_copies
from archkit.views.impact import changed_views


class InPlaceModels:
    """The models of the last full build, kept with their modules so one module can be re-run in them."""

    def __init__(self) -> None:
        self._models: list[LoadedModel] = []
        #: The edited model's old views and objects. Freeing them takes a tenth of a second at 1,000
        #: containers, so they are dropped by the full build that follows, not while the user waits.
        self._retired: list[Any] = []

    def adopt(self, models: list[LoadedModel]) -> None:
        """Keep the models a full build loaded (with `keep_modules=True`)."""
        self._models = models
        self._retired = []

    def forget(self) -> None:
        self._models = []
        self._retired = []

    def apply(self, changed: set[Path], formats: list[str], options: RenderOptions) -> list[OutputFile] | None:
        """The text files of the views a save of one module changed, or None when a full build must decide.

        The kept models are changed in place, so they are given up here: the full build that follows
        every fast one adopts fresh ones.
        """
        models, self._models = self._models, []
        records = registry()
        fast_formats = [f for f in formats if records[f].views is not None]
        if len(changed) != 1 or not models or not fast_formats:
            return None
        file = next(iter(changed)).resolve()
        owners = [m for m in models if file in m.files and m.root is not None]
        if len(owners) != 1:
            return None
        try:
            return _apply(owners[0], file, fast_formats, options, self._retired)
        except Exception:  # the full build that follows reports any real problem with file and line
            return None


def _apply(model: LoadedModel, file: Path, formats: list[str], options: RenderOptions,
           retired: list[Any]) -> list[OutputFile] | None:
    if _values_taken_elsewhere(model, model.module_of(file)):
        return None
    detached = [detach(ws, file) for ws in model.workspaces]
    retired.append(detached)
    old_module = model.module_of(file)
    with collecting_events() as declared:
        new_module = rerun_module(model, file)
    if any(part.made_by_callers for part in detached) and not same_functions(old_module, new_module):
        return None  # other modules call the edited functions: only running them again shows the change
    records = registry()
    kinds = {str(records[f].views) for f in formats}
    files: list[OutputFile] = []
    for part in detached:
        changes = reattach(part, declared)
        workspace = part.workspace
        workspace.resolve()
        if part.old_index is None:
            return None
        carry_schema_copies(part.old_index, workspace.index)
        only = changed_views(part.old_index, workspace, changes, kinds, channel_nodes=options.channel_nodes,
                             traces=tuple(options.traces),
                             asyncapi_version=options.extra.get(VERSION_OPTION, DEFAULT_VERSION))
        if only is None:
            return None
        files += render_text([workspace], formats, replace(options, only=only))
    return files


def _values_taken_elsewhere(model: LoadedModel, edited: types.ModuleType) -> bool:
    """Whether another module of the model holds a value it imported from the edited one (`from naming
    import SHOP`): that module built its objects from the old value, and only a full load runs it again.

    Modules, event classes, model objects and functions are fine: the first three are matched to their
    new versions, and objects a function made are checked by `same_functions`. Numbers, booleans and
    None are left out: equal small values are one object in Python, so their identity says nothing.
    """
    imported = _imported_names(Path(str(edited.__file__)))
    exported = {name: value for name, value in vars(edited).items()
                if not name.startswith("__") and name not in imported and not _replaceable(value)}
    for module in model.modules.values():
        if module is edited:
            continue
        for name, value in vars(module).items():
            if name in exported and exported[name] is value:
                return True
    return False


def _replaceable(value: Any) -> bool:
    return (value is None or isinstance(value, (bool, int, float, types.ModuleType, types.FunctionType, ModelObject,
                                                 Flow)) or is_event(value))


def _imported_names(file: Path) -> set[str]:
    """Names the file binds by importing them: values that came from elsewhere, not from it."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    return names
