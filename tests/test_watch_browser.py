"""The `--serve` preview in real headless Chromium: it follows model edits and shows model errors.

Drives Debian's chromium through its chromedriver with selenium (a dev dependency); skipped with a
reason when either is missing, so a machine without a browser still runs the rest of the suite.
"""

from __future__ import annotations

import re
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from watching import WatchProcess, edit, needs_plantuml, save, wait_until, write_tiny_model

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install selenium)")
from selenium.webdriver.common.by import By

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FORMATS = "sequence-plantuml,sequence-mermaid"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("chromium and chromedriver are not installed (scripts/setup.sh --test)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # console messages, for get_log("browser")
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,1000", f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@contextmanager
def serve(model: Path, formats: str, tmp_path: Path) -> Iterator[tuple[WatchProcess, Path, str]]:
    """`archkit watch --serve --port 0` on `model`; yields (process, model, url), stops it after."""
    process = WatchProcess([model, "-o", tmp_path / "out", "-f", formats, "--serve", "--port", "0"], cwd=tmp_path)
    try:
        url = re.search(r"http://127\.0\.0\.1:\d+/", process.wait_output(r"^serving http://127\.0\.0\.1:\d+/"))
        assert url, process.output()
        process.wait_renders(1)
        yield process, model, url.group(0)
    finally:
        assert process.stop(signal.SIGINT) == 0, process.output()


@pytest.fixture
def served(tmp_path: Path, spec_model: Path):
    """The spec model's diagram texts, served live."""
    model = tmp_path / "food_delivery.py"
    shutil.copy(spec_model, model)
    with serve(model, FORMATS, tmp_path) as running:
        yield running


def shown_text(browser) -> str:  # type: ignore[no-untyped-def]
    """All the diagram text the page shows now (pictures' alt text included)."""
    return browser.execute_script(
        "return Array.from(document.querySelectorAll('[data-file]'))"
        ".map(e => e.tagName === 'IMG' ? e.src : e.textContent).join('\\n')")


def loaded(browser, picture) -> bool:  # type: ignore[no-untyped-def]
    return bool(browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", picture))


def shown_generation(browser) -> int:  # type: ignore[no-untyped-def]
    """The render whose pictures the page has swapped in (set by the page's script)."""
    return int(browser.execute_script("return document.body.dataset.shown"))


def error_box(browser):  # type: ignore[no-untyped-def]
    return browser.find_element(By.ID, "archkit-error")


def test_page_follows_edits_and_shows_errors(browser, served) -> None:
    process, model, url = served
    browser.get(url)
    wait_until(lambda: "Courier service" in shown_text(browser), 10, "the diagram on the page")
    assert not error_box(browser).is_displayed()
    original = model.read_text()

    edit(model, '"Courier service"', '"Courier dispatch"')
    wait_until(lambda: "Courier dispatch" in shown_text(browser), 10, "the edit on the page")

    # a model error whose message holds markup: shown as text, never parsed as HTML
    save(model, original + '\nraise ValueError("<b id=injected>bold</b> is not a valid name")\n')
    wait_until(lambda: error_box(browser).is_displayed(), 10, "the error box")
    message = error_box(browser).text
    line = len(original.splitlines()) + 2
    assert f"food_delivery.py:{line}" in message and "<b id=injected>bold</b>" in message
    assert not browser.find_elements(By.ID, "injected")
    assert "Courier dispatch" in shown_text(browser), "the last good diagram left the page"

    browser.refresh()  # a page opened while the model is broken shows the error too
    wait_until(lambda: error_box(browser).is_displayed(), 10, "the error box after a reload")
    assert f"food_delivery.py:{line}" in error_box(browser).text

    save(model, original.replace('"Courier service"', '"Courier fleet"'))
    wait_until(lambda: "Courier fleet" in shown_text(browser), 10, "the fixed model on the page")
    wait_until(lambda: not error_box(browser).is_displayed(), 5, "the error box to hide")
    assert process.proc.poll() is None


@needs_plantuml
def test_picture_changes_in_the_browser(browser, tmp_path: Path) -> None:
    with serve(write_tiny_model(tmp_path), "sequence-plantuml,svg", tmp_path) as (process, model, url):
        browser.get(url)
        picture = browser.find_element(By.CSS_SELECTOR, "img[data-file$='buy.svg']")
        wait_until(lambda: loaded(browser, picture), 10, "the picture")
        before = picture.screenshot_as_png
        shown = shown_generation(browser)

        edit(model, '"Order")', '"Order with a much longer label")')
        wait_until(lambda: shown_generation(browser) > shown, 20, f"the page to swap in the new picture\n{process.output()}")
        picture = browser.find_element(By.CSS_SELECTOR, "img[data-file$='buy.svg']")
        assert loaded(browser, picture)
        assert picture.screenshot_as_png != before, "the picture on the page did not change"
