"""Batch rendering for `archkit render`: every .puml of a run through one PlantUML JVM per format.

A JVM costs about a second to start and to warm up the C4 standard library; a render of a large estate
has hundreds of diagrams. So the sources go to a temporary folder and one `java -jar plantuml.jar`
renders all of them with PlantUML's own thread pool (`--threads auto`). PlantUML's CLI makes one format
per run, so asking for SVG and PNG starts two JVMs, one after the other, never one per file.

Errors are read from `-stdrpt:2` (`file:line:error:message` on stderr), not from the exit code alone:
some PlantUML builds draw an error picture and exit 0. `--no-error-image` means a failing source has no
picture at all, so a missing picture is an error too.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from archkit.formats.images.command import jar_identity, java_command
from archkit.formats.images.jobs import (
    PictureError,
    PictureJob,
    PlantUMLUnavailable,
    Progress,
    RenderFailure,
    failure,
    single_diagram_problem,
)

#: `-stdrpt:2` lines: `00003.puml:12:error:Syntax Error? ...`
_REPORT = re.compile(r"^(?:.*[/\\])?(\d+)\.puml:(\d+):error:(.*)$")

#: A seam for tests and benchmarks: called with the argv of every java process this module starts.
Launcher = Callable[[list[str]], None]

_TIMEOUT_S = 30 * 60


class BatchPlantUML:
    """One JVM per picture format for a whole batch of sources."""

    def __init__(self, java: str, jar: Path, threads: str = "auto", on_launch: Launcher | None = None):
        self.java, self.jar, self.threads = java, jar, threads
        self.on_launch = on_launch
        self.identity = jar_identity(jar)

    def render_many(self, jobs: Sequence[PictureJob], progress: Progress | None = None) -> dict[PictureJob, bytes]:
        """Every job's picture, or PictureError listing every source PlantUML rejected."""
        failures = [f for f in map(single_diagram_problem, jobs) if f]
        if failures:
            raise PictureError(failures)
        pictures: dict[PictureJob, bytes] = {}
        done_before = 0
        for fmt in sorted({job.format for job in jobs}):
            batch = [job for job in jobs if job.format == fmt]
            offset = done_before

            def step(done: int, _total: int, offset: int = offset) -> None:
                if progress:
                    progress(offset + done, len(jobs))

            pictures.update(self._render_format(fmt, batch, step))
            done_before += len(batch)
        return pictures

    def _render_format(self, fmt: str, jobs: list[PictureJob], progress: Progress) -> dict[PictureJob, bytes]:
        with tempfile.TemporaryDirectory(prefix="archkit-plantuml-") as tmp:
            folder = Path(tmp)
            names = [f"{n:05d}.puml" for n in range(len(jobs))]
            for name, job in zip(names, jobs):
                (folder / name).write_bytes(job.source)
            argv = java_command(self.java, self.jar, f"-t{fmt}", "-stdrpt:2", "--threads", self.threads, *names)
            if self.on_launch:
                self.on_launch(argv)
            code, stderr = _run_watching(argv, folder, fmt, len(jobs), progress)
            reported = _parse_report(stderr, jobs)
            pictures: dict[PictureJob, bytes] = {}
            failures = list(reported)
            failed = {f.name for f in reported}
            for name, job in zip(names, jobs):
                picture = folder / f"{name[:-5]}.{fmt}"
                if job.name in failed:
                    continue
                if picture.is_file() and picture.stat().st_size:
                    pictures[job] = picture.read_bytes()
                else:
                    failures.append(RenderFailure(job.name, 0, f"PlantUML made no {fmt.upper()} (exit {code})"))
            if failures:
                if len(failures) == len(jobs) and not reported and code not in (0, 200):
                    raise PlantUMLUnavailable(f"error: PlantUML failed (exit {code}): {stderr.strip()[-800:]}")
                raise PictureError(failures)
            return pictures


def _run_watching(argv: list[str], folder: Path, fmt: str, total: int, progress: Progress) -> tuple[int, str]:
    """Run PlantUML in `folder`; while it runs, count finished pictures for the progress display."""
    try:
        proc = subprocess.Popen(argv, cwd=folder, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
    except OSError as exc:
        raise PlantUMLUnavailable(f"error: cannot start Java for PlantUML: {exc}") from None
    stderr_chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: stderr_chunks.append(proc.stderr.read() if proc.stderr else b""),
                              daemon=True)
    reader.start()
    try:
        while True:
            try:
                proc.wait(timeout=0.25)
                break
            except subprocess.TimeoutExpired:
                progress(sum(1 for _ in folder.glob(f"*.{fmt}")), total)
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    reader.join(timeout=_TIMEOUT_S)
    if proc.stderr:
        proc.stderr.close()
    progress(total, total)
    return proc.returncode, b"".join(stderr_chunks).decode("utf-8", "replace")


def _parse_report(stderr: str, jobs: list[PictureJob]) -> list[RenderFailure]:
    """`-stdrpt:2` lines back to the sources they name (temporary files are numbered by job)."""
    failures = []
    for line in stderr.splitlines():
        match = _REPORT.match(line.strip())
        if match and int(match.group(1)) < len(jobs):
            failures.append(failure(jobs[int(match.group(1))], int(match.group(2)), match.group(3)))
    return failures
