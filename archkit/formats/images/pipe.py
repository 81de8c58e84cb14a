"""A PlantUML process that stays up for a whole session (watch mode): one source in, one picture out.

Why a pipe and not PlantUML's HTTP server: no port to pick or leak, nothing listening on the network
(the picoweb server binds 0.0.0.0 unless told otherwise and answers errors with Java stack traces), and
the process dies with its stdin when archkit dies. `-pipedelimitor` ends every picture with a marker,
`@@@format svg|png` switches the format between diagrams, and `-pipeNoStderr` turns a rejected source
into `ERROR\\n<0-based line>\\n<message>` on stdout instead of an error picture.

    with PlantUMLPipe(java, jar) as plantuml:
        svg = plantuml.render(source, "svg")     # ~0.1-0.2 s once warm
"""

from __future__ import annotations

import queue
import secrets
import subprocess
import threading
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from archkit.formats.images.command import jar_identity, java_command
from archkit.formats.images.jobs import (
    PictureFormat,
    PictureJob,
    PlantUMLUnavailable,
    Progress,
    RenderFailure,
    failure,
    gather,
)

_ERROR = b"ERROR\n"


class PlantUMLPipe:
    """A warm PlantUML: `start()` once, `render()` many times (thread-safe, one at a time), `close()`."""

    def __init__(self, java: str, jar: Path, timeout: float = 120.0):
        self.java, self.jar, self.timeout = java, jar, timeout
        self.identity = jar_identity(jar)
        self._delimiter = f"@@archkit-picture-end-{secrets.token_hex(8)}@@".encode()
        self._proc: subprocess.Popen[bytes] | None = None
        self._chunks: queue.Queue[bytes] = queue.Queue()
        self._buffer = b""
        self._stderr: deque[bytes] = deque(maxlen=50)
        self._lock = threading.Lock()
        self.renders = 0

    # --- lifetime -----------------------------------------------------------------------------
    def start(self) -> PlantUMLPipe:
        """Start the JVM (idempotent). Rendering starts it too; call this early to hide the warm-up."""
        with self._lock:
            self._ensure_started()
        return self

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc and self._proc.poll() is None else None

    def close(self) -> None:
        """End the JVM and wait for it: no java process is left behind."""
        with self._lock:
            self._stop()

    def __enter__(self) -> PlantUMLPipe:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    # --- rendering ----------------------------------------------------------------------------
    def render(self, source: str | bytes, fmt: PictureFormat = "svg", name: str = "<diagram>.puml") -> bytes:
        """One picture; PictureError (with the line) when PlantUML rejects the source."""
        data = source.encode("utf-8") if isinstance(source, str) else source
        return self.render_many([PictureJob(name, data, fmt)])[PictureJob(name, data, fmt)]

    def render_many(self, jobs: Sequence[PictureJob], progress: Progress | None = None) -> dict[PictureJob, bytes]:
        """Every job's picture in this one process; all failures are collected before raising."""
        with self._lock:
            return gather(jobs, lambda todo: map(self._outcome, todo), progress)

    def _outcome(self, job: PictureJob) -> bytes | RenderFailure:
        answer = self._exchange(job)
        if not answer.startswith(_ERROR):
            return answer
        _, line, message = (answer.decode("utf-8", "replace").split("\n", 2) + ["", ""])[:3]
        return failure(job, int(line) + 1 if line.strip().isdigit() else 0, message)

    # --- the protocol -------------------------------------------------------------------------
    def _ensure_started(self) -> subprocess.Popen[bytes]:
        if self._proc is not None and self._proc.poll() is None:
            return self._proc
        self._stop()
        argv = java_command(self.java, self.jar, "-tsvg", "-pipe", "-pipedelimitor", self._delimiter.decode(),
                            "-pipeNoStderr")
        try:
            proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except OSError as exc:
            raise PlantUMLUnavailable(f"error: cannot start Java for PlantUML: {exc}") from None
        self._proc, self._chunks, self._buffer = proc, queue.Queue(), b""
        threading.Thread(target=_pump, args=(proc.stdout, self._chunks.put), daemon=True).start()
        threading.Thread(target=_pump, args=(proc.stderr, self._stderr.append), daemon=True).start()
        return proc

    def _exchange(self, job: PictureJob) -> bytes:
        proc = self._ensure_started()
        body = job.source if job.source.endswith(b"\n") else job.source + b"\n"
        try:
            assert proc.stdin is not None
            proc.stdin.write(f"@@@format {job.format}\n".encode() + body)
            proc.stdin.flush()
        except OSError:
            self._stop()
            raise PlantUMLUnavailable(f"error: PlantUML stopped: {self._stderr_tail()}") from None
        while self._delimiter not in self._buffer:
            try:
                chunk = self._chunks.get(timeout=self.timeout)
            except queue.Empty:
                self._stop()
                raise PlantUMLUnavailable(f"error: PlantUML gave no answer for {job.name} in {self.timeout:.0f} s") from None
            if not chunk:
                self._stop()
                raise PlantUMLUnavailable(f"error: PlantUML stopped while drawing {job.name}: {self._stderr_tail()}")
            self._buffer += chunk
        answer, _, self._buffer = self._buffer.partition(self._delimiter)
        self.renders += 1
        return answer.lstrip(b"\r\n")

    def _stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            if proc.stdin:
                proc.stdin.close()  # PlantUML ends its pipe loop on end of input
            proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream:
                stream.close()

    def _stderr_tail(self) -> str:
        return b"".join(self._stderr).decode("utf-8", "replace").strip()[-800:] or "no message"


def _pump(stream: Any, sink: Any) -> None:
    """Copy a pipe into `sink` chunk by chunk; an empty chunk says the process closed it."""
    read = stream.read1
    while True:
        chunk = read(65536)
        sink(chunk)  # type: ignore[operator]
        if not chunk:
            return
