"""index.md / index.html: every view grouped, pictures linked, names escaped."""

from __future__ import annotations

from html.parser import HTMLParser

from archkit.engine.loader import load_paths
from archkit.formats import RenderOptions
from archkit.formats.index import group_views, index_files
from archkit.output import OutputFile


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.images: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "img":
            self.images.append(dict(attrs)["src"])

    def handle_data(self, data):
        self.text.append(data)


def test_views_are_grouped_with_their_pictures():
    groups = group_views(["c4/landscape.puml", "c4/landscape.svg", "c4/landscape.png", "flows/checkout.puml",
                          "flows/checkout.svg", "diagrams/container-shop.png", "asyncapi/orders.yaml",
                          "workspace.dsl", "c4/container-shop.puml"])
    titles = {g.title: g for g in groups}
    assert list(titles) == ["System landscape", "Containers", "Flows (sequence diagrams)", "AsyncAPI documents",
                            "Structurizr DSL"]
    landscape = titles["System landscape"].entries[0]
    assert landscape.pictures == ["c4/landscape.svg", "c4/landscape.png"] and landscape.sources == ["c4/landscape.puml"]


def test_html_parses_and_escapes_hostile_names(write_model):
    model = write_model('from archkit import Workspace\nws = Workspace("<script>alert(1)</script>", description="a & b")\n')
    ws = next(w for m in load_paths([model]) for w in m.workspaces)
    files = [OutputFile.text(f"{ws.id}/c4/landscape.puml", "@startuml\n@enduml\n"),
             OutputFile(f"{ws.id}/c4/landscape.svg", b"<svg/>")]
    md, html = index_files(ws, files, RenderOptions())
    assert md.path == f"{ws.id}/index.md" and html.path == f"{ws.id}/index.html"
    page = Collect()
    page.feed(html.content.decode())
    assert "script" not in page.tags
    assert "<script>alert(1)</script>" in "".join(page.text)
    assert page.images == ["c4/landscape.svg"]
    assert "<script>" not in md.content.decode() and "](c4/landscape.svg)" in md.content.decode()


def test_default_render_writes_the_index_and_the_diagrams(cli, spec_model, tmp_path):
    result = cli("render", spec_model, "-o", tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "food-delivery/index.html").is_file()
    assert (tmp_path / "food-delivery/diagrams/container-food-delivery-platform.png").is_file()
    assert result.stdout.strip().endswith(f"written, 0 unchanged in {tmp_path}")
    again = cli("render", spec_model, "-o", tmp_path)
    assert "0 written" in again.stdout
