"""Deployment views: one per environment, in C4-PlantUML, Mermaid and the Structurizr DSL.

The model (tests/deployment_model.py) runs a region with a load balancer, a Kubernetes cluster with a
pod of two copies, a database and a three-broker Kafka cluster; one container has a hostile name.
Pictures are drawn by the real PlantUML and the real mermaid-cli.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from test_structurizr import check_dsl

MODEL = Path(__file__).parent / "deployment_model.py"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    from archkit.cli import main

    out = tmp_path_factory.mktemp("deployment")
    result = CliRunner().invoke(main, ["render", str(MODEL), "-o", str(out), "-f",
                                       "deployment-plantuml,deployment-mermaid,structurizr"])
    assert result.exit_code == 0, result.output
    return out / "shop"


def test_one_plantuml_view_per_environment_nests_nodes_as_deployed(rendered):
    assert sorted(p.name for p in (rendered / "deployment").iterdir()) == [
        "deployment-production.mmd", "deployment-production.puml", "deployment-staging.mmd",
        "deployment-staging.puml"]
    text = (rendered / "deployment" / "deployment-production.puml").read_text()
    assert "!include <C4/C4_Deployment>" in text
    lines = [line.rstrip() for line in text.splitlines()]
    region = lines.index('Deployment_Node(production_eu_west_1, "eu-west-1", "AWS region", "") {')
    pod = lines.index('    Deployment_Node(production_eu_west_1_eks_orders_pod, "Orders pod x2", "", "") {')
    assert region < pod
    assert lines[pod + 1] == '      Container(production_eu_west_1_eks_orders_pod_orders, "Orders x2", "Python", "Takes orders")'
    assert 'Deployment_Node(production_eu_west_1_kafka_cluster, "Kafka cluster x3", "MSK", "") {' in text
    assert '"Kafka", "Kafka", "shop.orders.v1: 6 partitions, RF 3")' in text
    assert 'Node(production_eu_west_1_load_balancer, "Load balancer", "AWS ALB", "Routes HTTPS")' in text
    assert ('Rel(production_eu_west_1_kafka_cluster_kafka, production_eu_west_1_eks_ledger, '
            '"OrderPlaced (group ledger)", "Kafka", $tags="async")') in text
    assert '"Web &#60;b&#62;&#34;app&#34;"' in text  # the hostile name, escaped
    staging = (rendered / "deployment" / "deployment-staging.puml").read_text()
    assert "Orders x2" not in staging and '"Orders", "Python"' in staging


@pytest.fixture(scope="module")
def examples(tmp_path_factory) -> dict[str, list[Path]]:
    """The deployment views of the example models (parcel shipping deploys to Production)."""
    from c4_outputs import EXAMPLE_MODELS, render_files

    root = tmp_path_factory.mktemp("example-deployments")
    files: dict[str, list[Path]] = {"plantuml": [], "mermaid": []}
    for name, model in EXAMPLE_MODELS.items():
        for tool in files:
            files[tool] += render_files(model, f"deployment-{tool}", root / name / tool).values()
    assert [p.name for p in files["plantuml"]] == ["deployment-production.puml"]
    return files


def test_plantuml_draws_every_deployment_view(rendered, examples, assert_plantuml_renders, tmp_path):
    assert_plantuml_renders(sorted((rendered / "deployment").glob("*.puml")) + examples["plantuml"])
    svg = (tmp_path / "plantuml-check" / "deployment-production.svg").read_text(encoding="utf-8")  # parcel shipping
    shown = " ".join(html.unescape(w) for w in re.findall(r"<text[^>]*>([^<]*)</text>", svg))
    for row in ("\u250c\u2500\u2500\u2510 deployment node (xN: N copies of it)", "infrastructure node",
                "synchronous call", "asynchronous message; (group g): consumer group"):
        assert row in shown, row  # archkit's legend: a node is a frame, not C4-PlantUML's empty box U+25AF
    assert "\u25af" not in svg


def test_mermaid_draws_every_deployment_view(rendered, examples, assert_mermaid_renders):
    text = (rendered / "deployment" / "deployment-production.mmd").read_text()
    assert text.startswith("C4Deployment\n")
    assert_mermaid_renders(sorted((rendered / "deployment").glob("*.mmd")) + examples["mermaid"])


def test_structurizr_dsl_has_environments_and_deployment_views(rendered):
    text = (rendered / "structurizr" / "workspace.dsl").read_text()
    check_dsl(text)
    assert 'deploymentEnvironment "Production" {' in text and 'deploymentEnvironment "Staging" {' in text
    assert 'deploymentNode "Kafka cluster" "" "MSK" "" 3 {' in text
    assert 'infrastructureNode "Load balancer" "Routes HTTPS" "AWS ALB"' in text
    assert 'deployment * "Production" "deployment-production" "Deployment: Production" {' in text
    ledger = text.splitlines().index("                    containerInstance ledger {")
    assert text.splitlines()[ledger + 2].strip() == '"instances" "3"'


def test_a_model_without_environments_writes_no_deployment_view(tmp_path, cli, write_model):
    model = write_model("from archkit import Workspace\nws = Workspace('Bare')\nws.system('S')\n")
    result = cli("render", model, "-o", tmp_path / "out", "-f", "deployment-plantuml,structurizr")
    assert result.exit_code == 0
    assert not (tmp_path / "out" / "bare" / "deployment").exists()
    assert "deployment" not in (tmp_path / "out" / "bare" / "structurizr" / "workspace.dsl").read_text()


def test_deployment_views_are_drawn_to_svg_and_listed_in_the_index(rendered, tmp_path, cli):
    result = cli("render", MODEL, "-o", tmp_path, "-f", "deployment-plantuml,svg,index")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "shop"
    assert (folder / "deployment" / "deployment-production.svg").stat().st_size > 0
    assert "## Deployment\n\n### deployment-production" in (folder / "index.md").read_text()


def test_hostile_deployment_labels_stay_text(tmp_path, assert_plantuml_renders, assert_mermaid_renders):
    from c4_outputs import HOSTILE_MODEL, render_files

    (puml,) = render_files(HOSTILE_MODEL, "deployment-plantuml", tmp_path / "p").values()
    lines = puml.read_text(encoding="utf-8").splitlines()
    directives = [line for line in lines if line.lstrip().startswith(("!", "@"))]
    assert directives == [lines[0], "!include <C4/C4_Deployment>", "@enduml"]  # no label added a directive
    assert_plantuml_renders([puml])
    svg = (tmp_path / "plantuml-check" / f"{puml.stem}.svg").read_text(encoding="utf-8")
    assert "<script" not in svg, svg[svg.find("<script") - 300:svg.find("<script") + 300]
    shown = " ".join(" ".join(html.unescape(w) for w in re.findall(r"<text[^>]*>([^<]*)</text>", svg)).split())
    for text in ("Region @enduml x2", "{{x}}", "LB <b>", "!include", "AWS %date%", "x3"):
        assert text in shown, f"{text!r} is not shown as written"
    assert_mermaid_renders(list(render_files(HOSTILE_MODEL, "deployment-mermaid", tmp_path / "m").values()))
    check_dsl(render_files(HOSTILE_MODEL, "structurizr", tmp_path / "s")["structurizr/workspace.dsl"].read_text())
