"""Helpers for tests of `archkit watch`: a real watch process, edits the way editors save, output snapshots."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
RENDER_LINE = re.compile(r"^\d\d:\d\d:\d\d .+ -> ")


def wait_until(predicate: Callable[[], object], timeout: float = 15.0, what: str = "condition",
               poll: float = 0.02) -> object:
    """Poll `predicate` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(poll)


class WatchProcess:
    """`archkit watch ARGS` as a real subprocess; its stdout and stderr collected line by line."""

    def __init__(self, args: list[str | Path], cwd: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
        command = [sys.executable, "-m", "archkit", "watch", *map(str, args)]
        self.proc = subprocess.Popen(command, cwd=cwd, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self._drains = [threading.Thread(target=self._drain, args=(stream, sink), daemon=True)
                        for stream, sink in ((self.proc.stdout, self.stdout), (self.proc.stderr, self.stderr))]
        for thread in self._drains:
            thread.start()

    @staticmethod
    def _drain(stream, sink: list[str]) -> None:  # type: ignore[no-untyped-def]
        for line in stream:
            sink.append(line.rstrip("\n"))

    @property
    def renders(self) -> list[str]:
        """The one-line-per-render reports printed so far."""
        return [line for line in list(self.stdout) if RENDER_LINE.match(line)]

    def wait_renders(self, count: int, timeout: float = 15.0) -> list[str]:
        wait_until(lambda: len(self.renders) >= count or self.proc.poll() is not None, timeout, f"{count} renders")
        assert self.proc.poll() is None, f"watch exited {self.proc.returncode}:\n{self.output()}"
        return self.renders

    def wait_output(self, pattern: str, timeout: float = 15.0) -> str:
        """The first stdout line matching `pattern` (a regex)."""
        def find() -> str | None:
            return next((line for line in list(self.stdout) if re.search(pattern, line)), None)
        return str(wait_until(find, timeout, f"output matching {pattern!r}\n{self.output()}"))

    def output(self) -> str:
        return "stdout:\n" + "\n".join(self.stdout) + "\nstderr:\n" + "\n".join(self.stderr)

    def descendants(self) -> list[int]:
        """Every process below the watch process, read from /proc (children of each of its threads)."""
        found: list[int] = []
        queue = [self.proc.pid]
        while queue:
            pid = queue.pop()
            for task in Path(f"/proc/{pid}/task").glob("*"):
                try:
                    children = (task / "children").read_text().split()
                except OSError:
                    continue
                for child in map(int, children):
                    if child not in found:
                        found.append(child)
                        queue.append(child)
        return found

    def stop(self, sig: int = signal.SIGINT, timeout: float = 15.0) -> int:
        """Send `sig` and wait for the exit; returns the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            for thread in self._drains:
                thread.join(timeout=5)
            for stream in (self.proc.stdout, self.proc.stderr):
                if stream is not None:
                    stream.close()


def save(path: Path, text: str) -> None:
    """Save the way editors do: write a temporary file beside the target, then rename it over the target."""
    tmp = path.with_name(f".{path.name}.swp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    save(path, text.replace(old, new, 1))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (relative POSIX path -> bytes)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in sorted(folder.rglob("*")) if p.is_file()}


def output_contains(folder: Path, text: str) -> bool:
    needle = text.encode()
    return any(needle in content for content in snapshot(folder).values())


def pid_alive(pid: int) -> bool:
    """True while `pid` runs (a zombie counts as gone: it has exited)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def plantuml_ready() -> bool:
    try:
        import archkit.formats.images  # noqa: F401
    except ImportError:
        return False
    from archkit.formats.images.tools import find_java, find_plantuml_jar

    return bool(find_java() and find_plantuml_jar())


needs_plantuml = pytest.mark.skipif(not plantuml_ready(), reason="pictures need archkit.formats.images, Java and the PlantUML jar")

TINY_MODEL = """
    from archkit import Workspace

    ws = Workspace("Shop")
    buyer = ws.person("Buyer", "Buys things")
    shop = ws.system("Shop", "Sells things").container("Shop service", "Takes orders")
    buyer.uses(shop, "Orders")
    ws.flow("Buy", "A buyer orders").call(buyer, shop, "Order")
"""


def write_tiny_model(tmp_path: Path) -> Path:
    """One flow, one picture: a cold PlantUML draws it in a few seconds."""
    model = tmp_path / "shop.py"
    model.write_text(textwrap.dedent(TINY_MODEL))
    return model
