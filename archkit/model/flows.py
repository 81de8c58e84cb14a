"""Flows: hand-written scenarios (calls, replies, publishes, consumes, notes, alternatives, parallel
branches) and `trace(E)`, which continues a flow along the model's reactions.

Blocks are opened with ``with flow.alt(): with flow.case("..."):``. Each ``with`` restores the previous
block on exit, even when its body raised, so a failing model never leaves a flow half-nested.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Any

from archkit.errors import ModelError, SourceLocation, call_site
from archkit.model.events import EventInfo, event_info, is_event
from archkit.model.ids import slugify

if TYPE_CHECKING:
    from archkit.model.elements import Element
    from archkit.model.workspace import Workspace


@dataclass(eq=False)
class Call:
    source: Element
    target: Element
    label: str
    technology: str
    origin: SourceLocation | None


@dataclass(eq=False)
class Reply:
    source: Element
    target: Element
    label: str
    origin: SourceLocation | None


@dataclass(eq=False)
class Publish:
    participant: Element
    event: Any
    origin: SourceLocation | None

    @property
    def info(self) -> EventInfo:
        return event_info(self.event)


@dataclass(eq=False)
class Consume:
    participant: Element
    event: Any
    origin: SourceLocation | None

    @property
    def info(self) -> EventInfo:
        return event_info(self.event)


@dataclass(eq=False)
class Note:
    element: Element
    text: str
    origin: SourceLocation | None


@dataclass(eq=False)
class Action:
    """What a participant does when an event arrives (from a traced reaction): drawn as a self-message."""

    participant: Element
    text: str
    origin: SourceLocation | None


@dataclass(eq=False)
class Trace:
    event: Any
    origin: SourceLocation | None

    @property
    def info(self) -> EventInfo:
        return event_info(self.event)


@dataclass(eq=False)
class Case:
    """One alternative of an `alt`, or one branch of a `parallel`."""

    label: str
    steps: list[Step] = field(default_factory=list)


@dataclass(eq=False)
class Alt:
    cases: list[Case]
    origin: SourceLocation | None


@dataclass(eq=False)
class Parallel:
    cases: list[Case]
    origin: SourceLocation | None


Step = Call | Reply | Publish | Consume | Note | Action | Trace | Alt | Parallel


class _Block:
    """A context manager that opens an alt/parallel block or a case/branch inside one."""

    def __init__(self, flow: Flow, enter: Any) -> None:
        self._flow, self._enter = flow, enter
        self._saved: Any = None

    def __enter__(self) -> None:
        self._saved = self._flow._cursor
        self._flow._cursor = self._enter()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._flow._cursor = self._saved


class Flow:
    """A scenario drawn as a sequence diagram (and a C4 dynamic view)."""

    def __init__(self, workspace: Workspace, id: str, name: str, description: str, origin: SourceLocation | None):
        self.workspace, self.id, self.name, self.description, self.origin = workspace, id, name, description, origin
        self.steps: list[Step] = []
        # The list new steps go to, or the Alt/Parallel whose cases are being opened.
        self._cursor: list[Step] | Alt | Parallel = self.steps

    # --- steps -----------------------------------------------------------------------------------
    def call(self, source: Element, target: Element, label: str = "", technology: str = "") -> Call:
        """A synchronous request from `source` to `target` (needs `source.uses(target)` in the model)."""
        origin = call_site()
        self._check_elements(origin, source, target)
        return self._append(Call(source, target, label, technology, origin), origin)

    def reply(self, source: Element, target: Element, label: str = "") -> Reply:
        """The answer to an earlier call (needs `target.uses(source)` in the model)."""
        origin = call_site()
        self._check_elements(origin, source, target)
        return self._append(Reply(source, target, label, origin), origin)

    def publish(self, participant: Element, event: Any) -> Publish:
        """`participant` sends `event` to the channel it publishes it on."""
        origin = call_site()
        self._check_elements(origin, participant)
        self._check_event(event, origin)
        return self._append(Publish(participant, event, origin), origin)

    def consume(self, participant: Element, event: Any) -> Consume:
        """`participant` receives `event` from the channel it consumes it from."""
        origin = call_site()
        self._check_elements(origin, participant)
        self._check_event(event, origin)
        return self._append(Consume(participant, event, origin), origin)

    def note(self, element: Element, text: str) -> Note:
        origin = call_site()
        self._check_elements(origin, element)
        return self._append(Note(element, text, origin), origin)

    def trace(self, event: Any) -> Trace:
        """Continue the flow along the reactions to `event`, recursively (choreography)."""
        origin = call_site()
        self._check_event(event, origin)
        return self._append(Trace(event, origin), origin)

    # --- blocks ----------------------------------------------------------------------------------
    def alt(self) -> _Block:
        """Alternatives: open cases with ``with flow.case(label):`` inside."""
        origin = call_site()
        return _Block(self, lambda: self._open_block(Alt([], origin), origin))

    def parallel(self) -> _Block:
        """Parallel branches: open them with ``with flow.branch(label):`` inside."""
        origin = call_site()
        return _Block(self, lambda: self._open_block(Parallel([], origin), origin))

    def case(self, label: str) -> _Block:
        return self._open_case(Alt, "case", "alt", label, call_site())

    def branch(self, label: str) -> _Block:
        return self._open_case(Parallel, "branch", "parallel", label, call_site())

    def _open_block(self, block: Alt | Parallel, origin: SourceLocation | None) -> Alt | Parallel:
        self._append(block, origin)
        return block

    def _open_case(self, kind: type, name: str, opener: str, label: str, origin: SourceLocation | None) -> _Block:
        if not isinstance(self._cursor, kind):
            raise ModelError(f"flow '{self.name}': {name}({label!r}) outside `with flow.{opener}():`", origin)
        block = self._cursor
        assert isinstance(block, (Alt, Parallel))

        def enter() -> list[Step]:
            case = Case(label)
            block.cases.append(case)
            return case.steps

        return _Block(self, enter)

    def _append(self, step: Any, origin: SourceLocation | None) -> Any:
        if not isinstance(self._cursor, list):
            raise ModelError(
                f"flow '{self.name}': a step directly inside an alt/parallel block; open a case or branch first", origin
            )
        self._cursor.append(step)
        return step

    def _check_elements(self, origin: SourceLocation | None, *elements: Any) -> None:
        from archkit.model.elements import Element

        for element in elements:
            if not isinstance(element, Element):
                raise ModelError(f"flow '{self.name}': {element!r} is not an element of the model", origin)
            if element.workspace is not self.workspace:
                raise ModelError(f"flow '{self.name}': '{element.name}' belongs to another workspace", origin)

    def _check_event(self, event: Any, origin: SourceLocation | None) -> None:
        if not is_event(event):
            raise ModelError(f"flow '{self.name}': {event!r} is not an event class", origin)


def walk_steps(steps: list[Step]) -> Any:
    """Every step, depth first, blocks included."""
    for step in steps:
        yield step
        if isinstance(step, (Alt, Parallel)):
            for case in step.cases:
                yield from walk_steps(case.steps)


def flow_id(name: str) -> str:
    return slugify(name)
