"""Benchmark archkit on synthetic estates of growing size; print a table and write docs/performance.md.

    python benchmarks/run.py                 # sizes S M L XL, 5 runs each (XL: 3)
    python benchmarks/run.py --sizes S M     # a quick look

Each figure is the median of several runs in this process, after one warm-up run. The estates come from
benchmarks/generate.py and use only the public model API. No test asserts these timings: they are
measured and reported, and the targets live in the issues.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from generate import SIZES, generate

from archkit.loader import load_path
from archkit.pipeline import expand_formats, render_text
from archkit.renderers import RenderOptions

Stage = Callable[[], object]


def median_seconds(stage: Stage, runs: int) -> float:
    stage()  # warm-up: imports, template compilation
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        stage()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(size: str, root: Path, runs: int) -> dict[str, float]:
    estate = generate(size, root / f"estate-{size}")
    results: dict[str, float] = {}
    results["load + validate"] = median_seconds(lambda: load_path(estate), runs)
    workspaces = [ws for m in load_path(estate) for ws in m.workspaces]
    options = RenderOptions()
    formats = expand_formats(None)
    for name in formats:
        results[f"format {name}"] = median_seconds(lambda name=name: render_text(workspaces, [name], options), runs)
    results["all text formats"] = median_seconds(lambda: render_text(workspaces, formats, options), runs)
    return results


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def table(results: dict[str, dict[str, float]]) -> str:
    sizes = list(results)
    stages = list(dict.fromkeys(s for r in results.values() for s in r))
    lines = ["| stage | " + " | ".join(sizes) + " |", "| --- |" + " ---: |" * len(sizes)]
    for stage in stages:
        cells = [f"{results[s][stage] * 1000:,.0f} ms" if stage in results[s] else "-" for s in sizes]
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    if "L" in results and "XL" in results:
        ratios = [results["XL"][s] / results["L"][s] for s in stages if s in results["L"] and results["L"][s] > 0]
        lines.append("")
        lines.append(f"XL / L ratio: at most {max(ratios):.1f}x (linear growth would be 5x).")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", default=list(SIZES), choices=list(SIZES))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="print only; do not update docs/performance.md")
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            runs = 3 if size == "XL" else args.runs
            print(f"measuring {size} ({SIZES[size] * 10} containers, {runs} runs) ...", file=sys.stderr)
            results[size] = measure(size, Path(tmp), runs)
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    text = table(results)
    print(text)
    if not args.no_write:
        doc = REPO / "docs" / "performance.md"
        doc.parent.mkdir(exist_ok=True)
        doc.write_text(
            "# Performance\n\nMeasured by `python benchmarks/run.py` (median of several runs after a warm-up) "
            f"on {machine()}, at commit {commit}.\nSizes: S, M, L, XL = 10, 100, 1,000, 5,000 containers "
            "(see benchmarks/generate.py).\n\n" + text + "\n"
        )
        print(f"\nwritten to {doc.relative_to(REPO)}", file=sys.stderr)


if __name__ == "__main__":
    main()
