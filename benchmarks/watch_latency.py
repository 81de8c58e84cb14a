"""Watch-mode latency on the spec model: how long from a save until the user sees it.

    python benchmarks/watch_latency.py [--saves 20] [--model PATH]
    python benchmarks/watch_latency.py --default [--json]   # `archkit watch model.py -o out` as typed

`--default` runs watch with its default options (every format, pictures on) and times, per save,
save -> the .puml rewritten (target 150 ms) and save -> the .svg rewritten (target 600 ms).

Runs `archkit watch` as a real subprocess on a copy of the model (as a user would), saves an edit the
way editors do (temporary file renamed over the model) and measures, per save:
  text     save -> every text format rewritten (.puml, .mmd, AsyncAPI ...)       target: median < 150 ms
  svg      save -> the .svg rewritten through the warm PlantUML                    target: median < 700 ms
  browser  save -> the --serve page in headless Chromium shows the new picture     target: median < 1 s
and prints a table (median, p90, max). It asserts nothing: figures go in the issue's closing note.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from watching import WatchProcess, save, wait_until

SPEC = REPO / "models" / "food_delivery.py"
ANCHOR = '"Assigns a courier to a confirmed order"'  # a description drawn in C4 views and AsyncAPI


TEXT_FORMATS: list[str] = []  # --formats, else every registered text format


def text_formats() -> list[str]:
    """The formats to render: every registered one that is text (pictures and the index are made from them)."""
    from archkit import formats

    return TEXT_FORMATS or list(formats.text_formats())


def edited(original: str, n: int) -> tuple[str, str]:
    token = f"rev{n}courier"  # one word: PlantUML wraps long labels, a word is never split
    return original.replace(ANCHOR, f'"Assigns a {token}"'), token


def on_disk(out: Path, suffix: str, token: str) -> bool:
    return any(token.encode() in p.read_bytes() for p in out.rglob(f"*{suffix}") if p.is_file())


def measure(model: Path, out: Path, process: WatchProcess, saves: int, suffix: str,
            shown: Callable[[], Callable[[str], bool]] | None = None, whole_build: bool = True) -> list[float]:
    """Milliseconds from each save until it is shown: `shown()` gives the check, made just before the save
    (default: a `suffix` file on disk holds the save's token). `whole_build=False`: the file on disk is
    enough (an editor shows it then), the build need not have finished."""
    original = model.read_text(encoding="utf-8")
    timings = []
    for n in range(saves + 1):  # the first save warms up and is not counted
        check = shown() if shown else (lambda token: on_disk(out, suffix, token))
        text, token = edited(original, n)
        renders = len(process.renders)
        started = time.perf_counter()
        save(model, text)
        # done = the token is out and the render finished (its line is printed after the last write)
        def done(renders: int = renders, check: Callable[[str], bool] = check, token: str = token) -> bool:
            return (len(process.renders) > renders or not whole_build) and check(token)

        wait_until(done, 30, f"{token} in *{suffix}", poll=0.005)
        took = (time.perf_counter() - started) * 1000
        if n:
            timings.append(took)
        wait_until(lambda renders=renders: len(process.renders) > renders, 60, "the build to finish")
        time.sleep(0.15)  # idle between saves, as between a person's saves
    return timings


def start(model: Path, out: Path, formats: list[str], *extra: str) -> WatchProcess:
    process = WatchProcess([model, "-o", out, "-f", ",".join(formats), *extra], cwd=model.parent)
    process.wait_renders(1, timeout=120)
    return process


def bench_files(work: Path, saves: int, pictures: bool) -> list[float]:
    """save -> the text files (or, with pictures, the SVGs) on disk."""
    model, out = work / "food_delivery.py", work / ("out-svg" if pictures else "out-text")
    process = start(model, out, [*text_formats(), *(["svg"] if pictures else [])])
    try:
        return measure(model, out, process, saves, ".svg" if pictures else "")
    finally:
        process.stop()


def bench_default(work: Path, saves: int) -> dict[str, list[float]]:
    """The default `archkit watch model.py -o out` (no -f: pictures on): save -> .puml, then save -> .svg."""
    model, out = work / "food_delivery.py", work / "out-default"
    process = WatchProcess([model, "-o", out], cwd=model.parent)
    process.wait_renders(1, timeout=300)
    pristine = model.read_text(encoding="utf-8")
    try:
        timings = {"text": measure(model, out, process, saves, ".puml", whole_build=False)}
        renders = len(process.renders)
        save(model, pristine)  # measure() edits the unedited model
        process.wait_renders(renders + 1, timeout=60)
        time.sleep(1)  # the full build after the fast path
        timings["svg"] = measure(model, out, process, saves, ".svg")
        return timings
    finally:
        process.stop()


def bench_browser(work: Path, saves: int) -> list[float]:
    from selenium import webdriver

    model, out = work / "food_delivery.py", work / "out-browser"
    process = start(model, out, [*text_formats(), "svg"], "--serve", "--port", "0")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--user-data-dir={work / 'chromium-profile'}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=webdriver.ChromeService(shutil.which("chromedriver") or "/usr/bin/chromedriver"),
                              options=options)
    try:
        url = process.wait_output(r"^serving http").split()[1]
        driver.get(url)

        def page_check() -> Callable[[str], bool]:
            """The page swapped in a render newer than the one it shows now, and that render has the token."""
            before = int(driver.execute_script("return document.body.dataset.shown"))

            def shows(token: str) -> bool:
                now = int(driver.execute_script("return document.body.dataset.shown"))
                return now > before and on_disk(out, ".svg", token)
            return shows

        return measure(model, out, process, saves, ".svg", page_check)
    finally:
        driver.quit()
        process.stop()


def row(name: str, timings: list[float], target: float) -> str:
    if not timings:
        return f"| {name:<8} | {'-':>7} | {'-':>7} | {'-':>7} | < {target:.0f} ms | skipped |"
    ordered = sorted(timings)
    median = statistics.median(ordered)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    verdict = "ok" if median < target else "MISSED"
    return f"| {name:<8} | {median:7.0f} | {p90:7.0f} | {ordered[-1]:7.0f} | < {target:.0f} ms | {verdict} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=20)
    parser.add_argument("--model", type=Path, default=SPEC)
    parser.add_argument("--only", choices=["text", "svg", "browser"], action="append")
    parser.add_argument("--formats", help="comma-separated text formats (default: every registered one)")
    parser.add_argument("--default", action="store_true", help="the default watch (pictures on): text and svg")
    parser.add_argument("--json", action="store_true", help="end with one line of JSON: step -> median ms")
    args = parser.parse_args()
    if args.default:
        with tempfile.TemporaryDirectory(prefix="archkit-watch-bench-") as tmp:
            shutil.copy(args.model, Path(tmp) / "food_delivery.py")
            timings = bench_default(Path(tmp), args.saves)
        for name, target in (("text", 150.0), ("svg", 600.0)):
            print(row(name, timings[name], target))
        if args.json:
            import json

            print(json.dumps({name: statistics.median(values) for name, values in timings.items()}))
        return
    TEXT_FORMATS[:] = [f for f in (args.formats or "").split(",") if f]
    chosen = args.only or ["text", "svg", "browser"]
    targets = {"text": 150.0, "svg": 700.0, "browser": 1000.0}
    benches: dict[str, Callable[[Path, int], list[float]]] = {
        "text": lambda work, saves: bench_files(work, saves, pictures=False),
        "svg": lambda work, saves: bench_files(work, saves, pictures=True),
        "browser": bench_browser,
    }
    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="archkit-watch-bench-") as tmp:
        work = Path(tmp)
        for name in chosen:
            shutil.copy(args.model, work / "food_delivery.py")  # each bench starts from the unedited model
            try:
                results[name] = benches[name](work, args.saves)
            except Exception as exc:
                print(f"{name}: skipped ({type(exc).__name__}: {exc})", file=sys.stderr)
                results[name] = []
    print(f"watch latency, {args.model.name}, {args.saves} saves each, {os.cpu_count()} cores")
    print("| step     | median  | p90     | max     | target   | verdict |")
    print("| -------- | ------- | ------- | ------- | -------- | ------- |")
    for name in chosen:
        print(row(name, results[name], targets[name]))


if __name__ == "__main__":
    main()
