"""The site in real headless Chromium, opened from `file://` as a user opens it: the pictures drill down,
search finds an event by a field name, zoom changes the picture's transform, and no page logs an error.

Uses the browser fixture of tests/test_watch_browser.py (Debian's chromium and chromedriver; skipped with
a reason where they are missing)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_site import site  # noqa: F401  (the fixture: the spec model's site)
from test_watch_browser import browser, serve  # noqa: F401  (the fixture)
from watching import edit, needs_plantuml, save, wait_until

By = pytest.importorskip("selenium.webdriver.common.by", reason="selenium is not installed").By
pytestmark = needs_plantuml


def errors(driver) -> list[dict]:  # type: ignore[no-untyped-def]
    """Console errors logged since the last call (the log is drained as it is read)."""
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def page(driver) -> str:  # type: ignore[no-untyped-def]
    """The page shown, as the site names it (its path inside the site)."""
    return driver.execute_script("return document.body.dataset.page")


def test_clicks_in_the_pictures_reach_a_component_view_and_an_event_page(browser, site: Path):  # noqa: F811  (fixtures)
    browser.get((site / "index.html").as_uri())
    errors(browser)
    browser.find_element(By.CSS_SELECTOR, '.diagram a[href="c4/container-food-delivery-platform.html"]').click()
    drill_down(browser)  # the system's panel: open its container view
    wait_until(lambda: page(browser) == "c4/container-food-delivery-platform.html", what="the container view")
    browser.find_element(By.CSS_SELECTOR, '.diagram a[href="component-order-service.html"]').click()
    drill_down(browser)
    wait_until(lambda: page(browser) == "c4/component-order-service.html", what="the component view")
    browser.find_element(By.LINK_TEXT, "OrderPlaced v1").click()
    wait_until(lambda: page(browser) == "events/OrderPlaced-v1.html", what="the event page")
    assert "order_id" in browser.find_element(By.CSS_SELECTOR, "table.fields").text
    browser.find_element(By.LINK_TEXT, "food.orders.v1").click()
    wait_until(lambda: page(browser) == "channels/food-orders-v1.html", what="the channel page")
    assert errors(browser) == []


def drill_down(driver) -> None:  # type: ignore[no-untyped-def]
    """A click on a box opens its panel; the panel's first link opens the view one level down."""
    wait_until(lambda: driver.find_element(By.ID, "panel").is_displayed(), what="the element panel")
    driver.find_element(By.CSS_SELECTOR, "#panel .drill-down a").click()


def test_the_element_panel_shows_a_containers_publications_and_consumptions(browser, site: Path):  # noqa: F811  (fixtures)
    browser.get((site / "c4" / "container-food-delivery-platform.html").as_uri())
    box = browser.find_element(By.CSS_SELECTOR, '.diagram g.entity[data-qualified-name$=".payment_service"] text')
    box.click()
    panel = wait_until(lambda: browser.find_element(By.ID, "panel").is_displayed() and browser.find_element(By.ID, "panel"),
                       what="the element panel")
    text = panel.text
    assert "Payment service" in text and "Java, Spring Boot" in text
    assert "PaymentSucceeded v1 on food.payments.v1" in text  # publishes
    assert "OrderPlaced v1 on food.orders.v1 (group payments)" in text  # consumes, with its group
    assert "Payment gateway: Charges the card" in text  # uses
    panel.find_element(By.LINK_TEXT, "PaymentSucceeded v1").click()
    wait_until(lambda: page(browser) == "events/PaymentSucceeded-v1.html", what="the event page")
    assert errors(browser) == []


def test_a_search_hit_for_an_element_opens_its_panel(browser, site: Path):  # noqa: F811  (fixtures)
    browser.get((site / "index.html").as_uri())
    browser.find_element(By.ID, "search").send_keys("Spring Boot")
    hit = wait_until(lambda: browser.find_elements(By.CSS_SELECTOR, "#search-results a"), what="search hits")[0]
    assert hit.text.startswith("Payment service")
    hit.click()
    wait_until(lambda: browser.find_element(By.ID, "panel").is_displayed(), what="the element panel")
    assert "PaymentSucceeded v1" in browser.find_element(By.ID, "panel").text
    assert errors(browser) == []


def test_search_finds_an_event_by_a_field_name(browser, site: Path):  # noqa: F811  (fixtures)
    browser.get((site / "c4" / "landscape.html").as_uri())
    browser.find_element(By.ID, "search").send_keys("ready_in_minutes")
    hits = wait_until(lambda: browser.find_elements(By.CSS_SELECTOR, "#search-results a"), what="search hits")
    assert hits and hits[0].text.startswith("OrderConfirmed v1"), [h.text for h in hits]
    hits[0].click()
    wait_until(lambda: page(browser) == "events/OrderConfirmed-v1.html", what="the search hit's page")
    assert errors(browser) == []


def test_zoom_changes_the_pictures_transform(browser, site: Path):  # noqa: F811  (fixtures)
    browser.get((site / "c4" / "container-food-delivery-platform.html").as_uri())
    viewport = browser.find_element(By.CSS_SELECTOR, ".diagram .svg-pan-zoom_viewport")
    before = viewport.get_attribute("transform") or viewport.value_of_css_property("transform")
    browser.find_element(By.ID, "svg-pan-zoom-zoom-in").click()
    wait_until(lambda: (viewport.get_attribute("transform") or viewport.value_of_css_property("transform")) != before,
               what="a new transform")
    assert errors(browser) == []
    browser.execute_script("sessionStorage.clear()")  # the zoom is kept per page: leave none behind


def place(driver) -> dict:  # type: ignore[no-untyped-def]
    """The page, and the picture's zoom and pan as the user left them."""
    return driver.execute_script("var z = window.archkitPanZoom; return {page: document.body.dataset.page,"
                                 " zoom: z.getZoom(), pan: z.getPan()}")


def diagram_text(driver) -> str:  # type: ignore[no-untyped-def]
    try:
        text = driver.find_element(By.CSS_SELECTOR, ".diagram svg").get_attribute("textContent") or ""
        return text.replace("\xa0", " ")  # PlantUML writes spaces in labels as no-break spaces
    except Exception:  # the page is reloading
        return ""


def test_watch_serve_keeps_the_view_and_zoom_after_a_save_and_shows_an_error_over_the_site(
        browser, tmp_path: Path, spec_model: Path):  # noqa: F811  (fixtures)
    model = tmp_path / "food_delivery.py"
    shutil.copy(spec_model, model)
    original = model.read_text()
    with serve(model, "site", tmp_path) as (process, model, url):
        browser.get(url)  # the site's home page
        wait_until(lambda: page(browser) == "index.html", what=f"the site\n{process.output()}")
        browser.find_element(By.LINK_TEXT, "container-food-delivery-platform").click()
        wait_until(lambda: page(browser) == "c4/container-food-delivery-platform.html", what="the container view")
        browser.find_element(By.CSS_SELECTOR, '.diagram g.entity[data-qualified-name$=".payment_service"] text').click()
        wait_until(lambda: browser.find_element(By.ID, "panel").is_displayed(), what="the element panel")
        browser.execute_script("window.archkitPanZoom.zoom(2.5); window.archkitPanZoom.pan({x: -150, y: -60});"
                               " window.notReloaded = true;")
        before = place(browser)
        assert before["zoom"] == pytest.approx(2.5) and "Courier service" in diagram_text(browser)

        edit(model, '"Courier service"', '"Courier dispatch"')
        wait_until(lambda: "Courier dispatch" in diagram_text(browser), 60, f"the change\n{process.output()}")
        assert browser.execute_script("return window.notReloaded") is None  # a new page, drawn after the save
        after = place(browser)
        assert after["page"] == before["page"] and after["zoom"] == pytest.approx(before["zoom"])
        assert after["pan"] == pytest.approx(before["pan"])
        panel = browser.find_element(By.ID, "panel")  # the panel the user had open, open again
        assert panel.is_displayed() and "Payment service" in panel.text

        save(model, original + '\nraise ValueError("<b id=injected>bold</b> is no name")\n')
        box = wait_until(lambda: browser.find_elements(By.ID, "archkit-error"), 30, "the error")[0]
        wait_until(box.is_displayed, 10, "the error shown")
        assert "food_delivery.py" in box.text and "<b id=injected>bold</b>" in box.text
        assert not browser.find_elements(By.ID, "injected")
        assert "Courier dispatch" in diagram_text(browser)  # the last good site, under the error
        assert errors(browser) == []
