"""Swapping what one model file built for what it builds now, inside a live workspace (watch's fast path).

Watch mode keeps the last model loaded. When one module of a model package is saved, `detach` takes out
of the workspace everything that module's top-level code created (`origin.module`), the loader re-runs
the module, and `reattach` puts the new objects where the old ones stood. The result reads as if the
whole package had been loaded again: the same declaration order, and references from other files (a
relationship to a container of the edited file, a flow publishing one of its events) moved to the new
objects, matched by id (events by name and version). Whatever cannot be matched (another file uses an
element the edit removed) raises `Stale`, and the caller loads the whole model instead. It does so after
every fast build anyway, to confirm it: code in other files that *calls* the edited file is not re-run.

`reattach` also says what changed (`ModelChanges`), compared by content, so only the views that show a
changed object are computed again.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any

from archkit.model.elements import Broker, Channel, Container, Element, Relationship, SoftwareSystem
from archkit.model.events import event_info, is_event
from archkit.model.flows import Alt, Case, Flow, Parallel
from archkit.model.messaging import Publication, Reaction, Subscription
from archkit.model.payloads import PayloadSchemas
from archkit.model.workspace import Workspace


class Stale(Exception):
    """The edit cannot be applied in place; load the whole model again."""


#: Workspace collections, in the order a model builds them. Dicts are keyed by id. A deployment
#: environment and its nodes are made by the file that declares them (`_mixed_deployment` otherwise).
_DICTS = ("elements", "channels", "flows", "environments", "deployment_nodes")
_LISTS = ("relationships", "publications", "subscriptions", "reactions")
#: Which element classes keep a list of their children, and under which attribute.
_CHILDREN = ((SoftwareSystem, "containers"), (Container, "components"), (Broker, "channels"))


@lru_cache(maxsize=4096)
def _same_file(module: str, file: Path) -> bool:
    return Path(module).resolve() == file


@dataclass
class Detached:
    """The workspace as it was before the file's objects were taken out, and which objects those were."""

    workspace: Workspace
    file: Path
    old_index: Any
    sequences: dict[str, list[Any]]  # collection name -> its objects before, in order
    children: dict[tuple[str, str], list[Any]]  # (attribute, parent id) -> the parent's children before
    mine: set[int]  # id() of every object the file created
    events: dict[tuple[str, int], type]  # the file's event classes by (name, version)
    #: Objects the file's functions made when another module called them: re-running the file does not
    #: make them again, so they stay, valid only while those functions' code is unchanged.
    made_by_callers: bool = False
    kept: dict[str, int] = field(default_factory=dict)  # collection -> how many objects stayed


@dataclass
class ModelChanges:
    """What differs after the file ran again. Old and new versions both appear where an object changed."""

    elements: list[Element] = field(default_factory=list)  # own fields changed, added or removed
    added_or_removed: list[Element] = field(default_factory=list)
    edges: list[Any] = field(default_factory=list)  # relationships, publications, subscriptions
    reactions: list[Reaction] = field(default_factory=list)
    channels: list[Channel] = field(default_factory=list)
    events: set[tuple[str, int]] = field(default_factory=set)
    flows: set[str] = field(default_factory=set)

    @property
    def messaging(self) -> bool:
        """Anything an event map, an AsyncAPI document or a trace could show."""
        return bool(self.reactions or self.channels or self.events
                    or any(not isinstance(e, Relationship) for e in self.edges))


def created_by(obj: Any, file: Path) -> bool:
    origin = obj.origin
    module = origin.module if origin is not None else None
    return module is not None and _same_file(module, file)


def detach(workspace: Workspace, file: Path) -> Detached:
    """Take every object `file`'s top-level code created out of the workspace (and out of parents' lists)."""
    file = file.resolve()
    sequences = {name: list(getattr(workspace, name).values()) for name in _DICTS}
    sequences |= {name: list(getattr(workspace, name)) for name in _LISTS}
    mine = {id(obj) for objects in sequences.values() for obj in objects if created_by(obj, file)}
    old_index = workspace._index
    events = {}
    if old_index is not None:
        events = {key: cls for key, cls in old_index.events.items() if created_by(event_info(cls), file)}
    mine |= {id(cls) for cls in events.values()}
    children: dict[tuple[str, str], list[Any]] = {}
    for element in sequences["elements"]:
        for cls, attribute in _CHILDREN:
            if isinstance(element, cls):
                before = getattr(element, attribute)
                children[(attribute, element.id)] = list(before)
                if id(element) not in mine:
                    before[:] = [child for child in before if id(child) not in mine]
    by_callers = any(_same_file(obj.origin.file, file) and id(obj) not in mine
                     for objects in sequences.values() for obj in objects if obj.origin is not None)
    detached = Detached(workspace, file, old_index, sequences, children, mine, events, made_by_callers=by_callers)
    for name in _DICTS:
        kept = {key: obj for key, obj in getattr(workspace, name).items() if id(obj) not in mine}
        setattr(workspace, name, kept)
        detached.kept[name] = len(kept)
    for name in _LISTS:
        kept_list = [obj for obj in getattr(workspace, name) if id(obj) not in mine]
        setattr(workspace, name, kept_list)
        detached.kept[name] = len(kept_list)
    workspace._index = None
    return detached


def reattach(detached: Detached, declared_events: list[type]) -> ModelChanges:
    """Put the file's new objects in its old objects' places and point every reference at them."""
    ws, file = detached.workspace, detached.file
    fresh: dict[str, list[Any]] = {}
    for name in (*_DICTS, *_LISTS):
        current = getattr(ws, name)
        objects = list(current.values()) if isinstance(current, dict) else list(current)
        added = objects[detached.kept[name]:]
        if any(not created_by(obj, file) for obj in added):
            raise Stale(f"re-running {file.name} created objects of other files")
        fresh[name] = added
    if _mixed_deployment(ws, file):
        raise Stale(f"{file.name} and another file build one deployment environment")
    replacement = _replacements(detached, fresh, declared_events)
    for name in _DICTS:
        merged = _merge(detached.sequences[name], fresh[name], detached.mine)
        setattr(ws, name, {obj.id: obj for obj in merged})
    for name in _LISTS:
        setattr(ws, name, _merge(detached.sequences[name], fresh[name], detached.mine))
    _restore_children(detached, fresh["elements"], replacement)
    _Remap(replacement, detached.mine).workspace(ws)
    ws._index = None
    return _changes(detached, fresh, declared_events)


def _replacements(detached: Detached, fresh: dict[str, list[Any]], declared: list[type]) -> dict[int, Any]:
    """id(old object of the file) -> its new object with the same id (events: same name and version)."""
    replacement: dict[int, Any] = {}
    for name in _DICTS:
        new_by_id = {obj.id: obj for obj in fresh[name]}
        for old in detached.sequences[name]:
            if id(old) in detached.mine and old.id in new_by_id:
                replacement[id(old)] = new_by_id[old.id]
    new_events = {(event_info(cls).name, event_info(cls).version): cls for cls in declared}
    for key, old_cls in detached.events.items():
        if key in new_events:
            replacement[id(old_cls)] = new_events[key]
    return replacement


def _merge(before: list[Any], added: list[Any], mine: set[int]) -> list[Any]:
    """`before` with the file's old objects swapped for `added`, placed where the first old one stood.

    A file's top-level code runs in one go, so what it created sits together in every collection: the
    new objects take that place, as a full load would give them.
    """
    kept = [obj for obj in before if id(obj) not in mine]
    first = next((i for i, obj in enumerate(before) if id(obj) in mine), None)
    if first is None:
        return kept + added
    at = sum(1 for obj in before[:first] if id(obj) not in mine)
    return kept[:at] + added + kept[at:]


def _restore_children(detached: Detached, new_elements: list[Element], replacement: dict[int, Any]) -> None:
    """Parents' child lists as a full load builds them: the file's new children in the old ones' place,
    and children other files added to a parent the file re-created moved to the new parent."""
    mine = detached.mine
    recreated = {id(e) for e in new_elements}
    for element in detached.workspace.elements.values():
        for cls, attribute in _CHILDREN:
            before = detached.children.get((attribute, element.id)) if isinstance(element, cls) else None
            if before is None:
                continue
            current = getattr(element, attribute)
            if id(element) in recreated:
                added = list(current)
            else:
                known = {id(child) for child in before}
                added = [child for child in current if id(child) not in known]
            if added or any(id(child) in mine for child in before):
                current[:] = _merge(before, added, mine)


class _Remap:
    """Rewrites references to the file's old objects; a reference with no new object is `Stale`."""

    def __init__(self, replacement: dict[int, Any], mine: set[int]) -> None:
        self.replacement, self.mine = replacement, mine
        self.stale = mine | replacement.keys()

    def value(self, value: Any) -> Any:
        key = id(value)
        if key in self.replacement:
            return self.replacement[key]
        if key in self.mine:
            raise Stale(f"{_describe(value)} is used elsewhere in the model but the edit removed it")
        if isinstance(value, tuple) and value:
            return tuple(self.value(v) for v in value)
        return value

    def fields(self, obj: Any, names: Iterable[str]) -> None:
        values = obj.__dict__  # pydantic models and dataclasses keep their fields there
        for name in names:
            old = values[name]
            if id(old) in self.stale or type(old) is tuple:
                new = self.value(old)
                if new is not old:
                    setattr(obj, name, new)

    def workspace(self, ws: Workspace) -> None:
        for element in ws.elements.values():
            self.fields(element, ("parent",))
        for channel in ws.channels.values():
            self.fields(channel, ("broker", "bind") if hasattr(channel, "bind") else ("broker",))
        for rel in ws.relationships:
            self.fields(rel, ("source", "destination"))
        for use in (*ws.publications, *ws.subscriptions):
            self.fields(use, ("event", "participant", "channel"))
        for reaction in ws.reactions:
            self.fields(reaction, ("event", "participant", "publishes"))
        for flow in ws.flows.values():
            self.steps(flow.steps)
        for environment in ws.environments.values():  # declared in another file, running the file's containers
            for instance in environment.instances:
                self.fields(instance, ("container",))

    def steps(self, steps: list[Any]) -> None:
        for step in steps:
            if isinstance(step, (Alt, Parallel)):
                for case in step.cases:
                    self.steps(case.steps)
            else:
                self.fields(step, [f.name for f in dataclasses.fields(step) if f.name != "origin"])


def _mixed_deployment(ws: Workspace, file: Path) -> bool:
    """Whether a node or container instance of one file sits in an environment or node of another: only
    re-running every file puts such an environment together again."""
    for environment in ws.environments.values():
        owner = created_by(environment, file)
        for node in environment.walk():
            parts = [node, *node.instances_run, *node.infrastructure_nodes]
            if any(created_by(part, file) != owner for part in parts):
                return True
    return False


def _describe(value: Any) -> str:
    if is_event(value):
        return f"event {event_info(value).label}"
    name = getattr(value, "name", None)
    return f"{type(value).__name__.lower()} '{name}'" if name else repr(value)


# --- what changed -------------------------------------------------------------------------------------
def _changes(detached: Detached, fresh: dict[str, list[Any]], declared: list[type]) -> ModelChanges:
    changes = ModelChanges()
    old = {name: [obj for obj in detached.sequences[name] if id(obj) in detached.mine] for name in fresh}
    for name, sink in (("elements", changes.elements), ("channels", changes.channels),
                       ("relationships", changes.edges), ("publications", changes.edges),
                       ("subscriptions", changes.edges), ("reactions", changes.reactions)):
        before, after = _by_key(old[name]), _by_key(fresh[name])
        for key in before.keys() | after.keys():
            a, b = before.get(key), after.get(key)
            if a is None or b is None or _fingerprint(a) != _fingerprint(b):
                sink += [x for x in (a, b) if x is not None]
                if name == "elements" and (a is None or b is None):
                    changes.added_or_removed += [x for x in (a, b) if x is not None]
    before_flows, after_flows = _by_key(old["flows"]), _by_key(fresh["flows"])
    for key in before_flows.keys() | after_flows.keys():
        a, b = before_flows.get(key), after_flows.get(key)
        if a is None or b is None or _fingerprint(a) != _fingerprint(b):
            changes.flows.add(key[0])
    new_events = {(event_info(cls).name, event_info(cls).version): cls for cls in declared}
    payloads = detached.workspace.payloads
    for key in detached.events.keys() | new_events.keys():
        a, b = detached.events.get(key), new_events.get(key)
        if a is None or b is None or _event_fingerprint(a, payloads) != _event_fingerprint(b, payloads):
            changes.events.add(key)
    return changes


def _by_key(objects: list[Any]) -> dict[tuple[Any, ...], Any]:
    """Objects by identity across loads: ids, or for edges their endpoints and their rank among equals."""
    keyed: dict[tuple[Any, ...], Any] = {}
    for obj in objects:
        base = (obj.id,) if isinstance(obj, (Element, Channel, Flow)) else _edge_key(obj)
        rank = 0
        while (*base, rank) in keyed:
            rank += 1
        keyed[(*base, rank)] = obj
    return keyed


def _edge_key(obj: Any) -> tuple[Any, ...]:
    if isinstance(obj, Relationship):
        return ("uses", _fp(obj.source), _fp(obj.destination))
    if isinstance(obj, (Publication, Subscription)):
        return (type(obj).__name__, _fp(obj.participant), _fp(obj.event), _fp(obj.channel))
    return ("reacts", _fp(obj.participant), _fp(obj.event))


def _fingerprint(obj: Any) -> Any:
    if isinstance(obj, Flow):
        return (obj.name, obj.description, _fp(obj.steps))
    names = [n for n in type(obj).model_fields if n != "origin" and n not in ("containers", "components", "channels")]
    return tuple((n, _fp(getattr(obj, n))) for n in names)


def _fp(value: Any) -> Any:
    """A value with model objects replaced by what identifies them across loads."""
    if isinstance(value, (Element, Channel)):
        return (type(value).__name__, value.id)
    if is_event(value):
        info = event_info(value)
        return ("event", info.name, info.version)
    if isinstance(value, (list, tuple)):
        return tuple(_fp(v) for v in value)
    if isinstance(value, Case):
        return ("case", value.label, _fp(value.steps))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, *(_fp(getattr(value, f.name)) for f in dataclasses.fields(value)
                                         if f.name != "origin"))
    return value


def _event_fingerprint(cls: type, payloads: PayloadSchemas) -> Any:
    """The event's metadata but its line, and what its schema is made of (cheaper than the schema)."""
    return dataclasses.replace(event_info(cls), origin=None), payloads.fingerprint(cls)


def same_functions(old: ModuleType, new: ModuleType) -> bool:
    """Whether every function (and method) the old module defined has the same code in the new one."""
    for name, value in vars(old).items():
        if inspect.isclass(value) and value.__module__ == old.__name__:
            other = vars(new).get(name)
            if not inspect.isclass(other) or not _same_members(value, other):
                return False
        elif inspect.isfunction(value) and value.__module__ == old.__name__:
            other = vars(new).get(name)
            if not inspect.isfunction(other) or not _same_function(value, other):
                return False
    return True


def _same_members(old: type, new: type) -> bool:
    functions = {n: f for n, f in vars(old).items() if inspect.isfunction(f)}
    return all(inspect.isfunction(vars(new).get(n)) and _same_function(f, vars(new)[n]) for n, f in functions.items())


def _same_function(a: Any, b: Any) -> bool:
    return _same_code(a.__code__, b.__code__) and a.__defaults__ == b.__defaults__


def _same_code(a: CodeType, b: CodeType) -> bool:
    """Equal bytecode, names and constants; line numbers may differ (lines above the function moved)."""
    if (a.co_code, a.co_names, a.co_varnames, a.co_freevars, len(a.co_consts)) != (
            b.co_code, b.co_names, b.co_varnames, b.co_freevars, len(b.co_consts)):
        return False
    for x, y in zip(a.co_consts, b.co_consts):
        if isinstance(x, CodeType) and isinstance(y, CodeType):
            if not _same_code(x, y):
                return False
        elif type(x) is not type(y) or x != y:
            return False
    return True
