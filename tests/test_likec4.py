"""LikeC4 output (`-f likec4`), read by the real LikeC4 CLI (`likec4 validate`, `likec4 export json`,
installed under .tools/ by scripts/setup.sh --test)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from c4_outputs import HOSTILE_MODEL, render_files
from conftest import REPO, SPEC_MODEL

from archkit.engine.loader import load_model
from archkit.formats.c4_macros import normalize_lines, printable
from archkit.formats.likec4 import likec4_id, likec4_text

LIKEC4 = REPO / ".tools" / "likec4" / "node_modules" / ".bin" / "likec4"
EXAMPLES = sorted([*REPO.glob("models/*.py"), *(p.parent for p in REPO.glob("models/*/__init__.py"))])
STRING = re.compile(r"'(?:\\.|[^'\\])*'")


def likec4(*args: str | Path) -> subprocess.CompletedProcess[str]:
    assert LIKEC4.is_file(), "the LikeC4 CLI is not installed: run scripts/setup.sh --test"
    return subprocess.run([str(LIKEC4), *map(str, args)], capture_output=True, text=True, timeout=120,
                          env={"PATH": f"{Path(shutil.which('node') or 'node').parent}:/usr/bin:/bin",
                               "NO_COLOR": "1", "HOME": str(Path.home())})


def assert_valid(folder: Path) -> None:
    result = likec4("validate", folder)
    assert result.returncode == 0 and "Invalid" not in result.stdout + result.stderr, result.stdout + result.stderr


def check_hostile(path: str, text: str, benign_text: str) -> None:
    """No label changes the file's structure: with every string taken out, hostile and benign are the same."""
    assert STRING.sub("''", text) == STRING.sub("''", benign_text), f"{path}: a label became LikeC4 syntax"


def check_with_tool(paths: list[Path]) -> None:
    """The real LikeC4 accepts every hostile file (each example's folder is one LikeC4 workspace)."""
    for folder in sorted({p.parent for p in paths}):
        assert_valid(folder)


@pytest.mark.parametrize("model", EXAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("channel_nodes", [False, True], ids=["brokers", "channel-nodes"])
def test_likec4_validates_every_example_model(cli, tmp_path, model, channel_nodes):
    args = ["render", model, "-o", tmp_path, "-f", "likec4", *(["--channel-nodes"] if channel_nodes else [])]
    assert cli(*args).exit_code == 0
    folders = sorted(p.parent for p in tmp_path.rglob("model.c4"))
    assert folders
    for folder in folders:
        assert_valid(folder)


def test_a_generated_package_estate_validates(cli, tmp_path):
    estate = tmp_path / "estate"
    subprocess.run([sys.executable, REPO / "benchmarks" / "generate.py", "S", estate], check=True, capture_output=True)
    assert cli("render", estate, "-o", tmp_path / "out", "-f", "likec4").exit_code == 0
    assert_valid(next((tmp_path / "out").glob("*/likec4")))


def _shown(text: str) -> str:
    return " ".join(printable(line) for line in normalize_lines(text))


def test_likec4_reads_back_every_hostile_name_as_written(tmp_path):
    """Quotes, backslashes, `!include`, `{{ }}`, newlines: LikeC4's own reading of the file gives back the
    model's names, descriptions and technologies (on one line), its relationships and views."""
    written = render_files(HOSTILE_MODEL, "likec4", tmp_path)
    folder = written["likec4/model.c4"].parent
    assert_valid(folder)
    result = likec4("export", "json", "--skip-layout", "-o", tmp_path / "model.json", folder)
    assert result.returncode == 0, result.stderr
    exported = json.loads((tmp_path / "model.json").read_text(encoding="utf-8"))
    ws = load_model(HOSTILE_MODEL).workspaces[0]
    read = {key.rsplit(".", 1)[-1]: element for key, element in exported["elements"].items()}
    for element in ws.elements.values():
        if getattr(element, "broker", None) is not None:
            continue  # channels are drawn at their broker
        got = read[likec4_id(element.id)]
        assert got["title"] == _shown(element.name)
        assert got.get("description", {}).get("txt", "") == _shown(element.description)
        assert got.get("technology", "") == _shown(getattr(element, "technology", "") or "")
    assert len(exported["relations"]) >= len(ws.relationships)
    assert {"landscape", "container-core-date-define"} <= set(exported["views"])


def test_ids_and_strings_keep_to_the_grammar():
    assert likec4_id("3pl-partner") == "x_3pl-partner" and likec4_id("model") == "model_"
    assert likec4_text("it's \\ 'x'\nnext") == "'it\\'s \\\\ \\'x\\' next'"


def test_same_model_same_bytes(tmp_path):
    first = render_files(SPEC_MODEL, "likec4", tmp_path / "a")["likec4/model.c4"].read_bytes()
    assert render_files(SPEC_MODEL, "likec4", tmp_path / "b")["likec4/model.c4"].read_bytes() == first


def test_environments_become_deployment_nodes_instances_and_a_deployment_view(tmp_path):
    """The deployment test model read back by the real LikeC4: nested nodes, copies in the title, instances."""
    written = render_files(REPO / "tests" / "deployment_model.py", "likec4", tmp_path / "out")
    result = likec4("export", "json", "--skip-layout", "-o", tmp_path / "model.json", written["likec4/model.c4"].parent)
    assert result.returncode == 0, result.stdout + result.stderr
    read = json.loads((tmp_path / "model.json").read_text(encoding="utf-8"))
    assert {k: v["_type"] for k, v in read["views"].items() if k.startswith("deployment-")} == {
        "deployment-production": "deployment", "deployment-staging": "deployment"}
    nodes = {v["title"]: v for v in read["deployments"]["elements"].values()}
    assert nodes["Kafka cluster x3"]["kind"] == "node" and nodes["Load balancer"]["kind"] == "infrastructure"
    assert nodes["Orders x2"]["element"] == "shop.orders"  # an instance of the model's container
    assert "production.production-eu-west-1.production-eu-west-1-eks.production-eu-west-1-eks-orders-pod" in \
        read["deployments"]["elements"]
