"""`diagrams` container pictures with real Graphviz: a real, deterministic PNG per internal system."""

from __future__ import annotations

import shutil

import pytest

from archkit.engine.loader import load_paths
from archkit.formats import RenderOptions
from archkit.formats.images.diagrams import workspace_diagrams
from archkit.formats.images.icons import icon_path

pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")


def test_the_spec_model_gets_a_real_deterministic_png(spec_model):
    workspaces = [ws for m in load_paths([spec_model]) for ws in m.workspaces]
    first = workspace_diagrams(workspaces, RenderOptions())
    assert [f.path for f in first.files] == ["food-delivery/diagrams/container-food-delivery-platform.png"]
    picture = first.files[0].content
    assert picture.startswith(b"\x89PNG\r\n\x1a\n") and len(picture) > 50_000
    assert workspace_diagrams(workspaces, RenderOptions()).files[0].content == picture


@pytest.mark.parametrize(("technology", "kind", "icon"), [
    ("Apache Kafka 3.7", "queue", "onprem.queue.Kafka"),
    ("RabbitMQ 3.13", "queue", "onprem.queue.Rabbitmq"),
    ("PostgreSQL", "database", "onprem.database.Postgresql"),
    ("Java, Spring Boot", "container", "programming.framework.Spring"),
    ("TypeScript, React", "webapp", "programming.framework.React"),
    ("Go", "container", "programming.language.Go"),
    ("Kong", "gateway", "onprem.network.Kong"),
    ("Cobol on a mainframe", "database", "generic.database.SQL"),
])
def test_technology_names_pick_icons(technology: str, kind: str, icon: str):
    assert icon_path(technology, kind) == icon


def test_hostile_names_still_draw(write_model):
    model = write_model('''
        from archkit import Workspace
        ws = Workspace("Shop")
        s = ws.system('Shop "<b>" \\\\N {x}', "desc")
        s.container("API \\\\G <script>", "x", technology="Python")
    ''')
    workspaces = [ws for m in load_paths([model]) for ws in m.workspaces]
    files = workspace_diagrams(workspaces, RenderOptions()).files
    assert len(files) == 1 and files[0].content.startswith(b"\x89PNG")
