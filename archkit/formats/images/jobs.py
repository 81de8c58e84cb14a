"""What every PlantUML back end agrees on: a picture to make, the failures it can report, a progress hook.

The batch (one JVM per run), the long-lived pipe (watch mode) and a remote server all take the same
jobs and raise the same error, so the pipeline does not care which one it was handed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from archkit.errors import ArchkitError

PictureFormat = Literal["svg", "png"]

#: Called as (done, total) while a batch runs; the terminal display is one implementation.
Progress = Callable[[int, int], None]

_START = re.compile(rb"^[ \t]*@start[a-z]+\b", re.MULTILINE)
_END = re.compile(rb"^[ \t]*@end[a-z]+\b", re.MULTILINE)


@dataclass(frozen=True)
class PictureJob:
    """One picture to make: `name` is the .puml path errors point at (e.g. `shop/c4/container-shop.puml`)."""

    name: str
    source: bytes
    format: PictureFormat

    @property
    def picture_name(self) -> str:
        """The picture's path beside its source: `c4/x.puml` -> `c4/x.svg`."""
        stem = self.name[: -len(".puml")] if self.name.endswith(".puml") else self.name
        return f"{stem}.{self.format}"


@dataclass(frozen=True)
class RenderFailure:
    """PlantUML refused one source: where (1-based line in the .puml, 0 if unknown) and why."""

    name: str
    line: int
    message: str
    source_line: str = ""

    def __str__(self) -> str:
        where = f"{self.name}:{self.line}" if self.line else self.name
        text = f"{where}: error: PlantUML cannot draw it: {self.message}"
        if self.source_line:
            text += f"\n  {self.line} | {self.source_line}"
        return text


def failure(job: PictureJob, line: int, message: str) -> RenderFailure:
    """A failure that quotes the offending source line, so the user sees it without opening the file."""
    lines = job.source.decode("utf-8", "replace").splitlines()
    quoted = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    return RenderFailure(job.name, line, message.strip() or "unknown error", quoted[:200])


class PictureError(ArchkitError):
    """Some pictures could not be made; every failure is listed, with its file and line."""

    def __init__(self, failures: Sequence[RenderFailure]):
        self.failures = sorted(failures, key=lambda f: (f.name, f.line))
        count = len(self.failures)
        head = f"error: PlantUML rejected {count} diagram{'s' if count != 1 else ''}; nothing was written"
        super().__init__("\n".join([head, *map(str, self.failures)]))


class PlantUMLUnavailable(ArchkitError):
    """The PlantUML process died or cannot start (not a problem in a diagram)."""


def single_diagram_problem(job: PictureJob) -> RenderFailure | None:
    """A source must hold exactly one @start/@end pair: PlantUML would otherwise make 0 or 2 pictures."""
    starts, ends = len(_START.findall(job.source)), len(_END.findall(job.source))
    if starts == 1 and ends == 1:
        return None
    return RenderFailure(job.name, 0, f"expected one @startuml ... @enduml block, found {starts} start and {ends} end")


class PlantUML(Protocol):
    """A way to turn PlantUML sources into pictures."""

    #: Changes when the same source could give a different picture (another jar, another server).
    identity: str

    def render_many(self, jobs: Sequence[PictureJob], progress: Progress | None = None) -> dict[PictureJob, bytes]:
        """Every job's picture; raises PictureError naming every failing source (all or nothing)."""
        ...


def gather(
    jobs: Sequence[PictureJob],
    outcomes: Callable[[Sequence[PictureJob]], Iterable[bytes | RenderFailure]],
    progress: Progress | None = None,
) -> dict[PictureJob, bytes]:
    """Every job's picture from a renderer's `outcomes`, in job order; all failures raised together.

    Sources that cannot be a single diagram are refused before anything is rendered.
    """
    problems = [f for f in map(single_diagram_problem, jobs) if f]
    if problems:
        raise PictureError(problems)
    pictures: dict[PictureJob, bytes] = {}
    failures: list[RenderFailure] = []
    for done, (job, outcome) in enumerate(zip(jobs, outcomes(jobs)), start=1):
        if isinstance(outcome, RenderFailure):
            failures.append(outcome)
        else:
            pictures[job] = outcome
        if progress:
            progress(done, len(jobs))
    if failures:
        raise PictureError(failures)
    return pictures
