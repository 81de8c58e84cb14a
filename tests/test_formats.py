"""The format records (`archkit.formats`) are what every part of archkit reads: a record that lies, or
a part that ignores the records, shows here through what a user sees (the files, the preview page, --help)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SPEC_MODEL

from archkit.formats import aliases, registry
from archkit.watch.page import render_page

RECORDS = registry()


@pytest.fixture(scope="module")
def rendered_all(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from click.testing import CliRunner

    from archkit.cli.app import main

    out = tmp_path_factory.mktemp("all")
    result = CliRunner().invoke(main, ["render", str(SPEC_MODEL), "-o", str(out), "-f", "all"])
    assert result.exit_code == 0, result.output
    return out


def _written(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and not p.name.startswith("."))


@pytest.mark.parametrize("name", [n for n, f in RECORDS.items() if f.is_text or n == "index"])
def test_each_format_alone_writes_files_with_its_extension(cli, tmp_path, name):
    # the design's food-delivery model has no deployment: deployment formats are tried on one that has
    model = Path(__file__).parent / "deployment_model.py" if RECORDS[name].family == "deployment" else SPEC_MODEL
    result = cli("render", model, "-o", tmp_path, "-f", name)
    assert result.exit_code == 0, result.output
    assert any(path.endswith(RECORDS[name].extension) for path in _written(tmp_path)), _written(tmp_path)


def test_pictures_follow_their_sources(cli, tmp_path):
    result = cli("render", SPEC_MODEL, "-o", tmp_path, "-f", "svg,png,diagrams", "--view", "container")
    assert result.exit_code == 0, result.output
    written = _written(tmp_path)
    for name in ("svg", "png"):
        pictures = [p for p in written if p.endswith(RECORDS[name].extension) and not p.startswith("food-delivery/diagrams/")]
        assert pictures and all(p.rsplit(".", 1)[0] + ".puml" in written for p in pictures), name
    assert any(p.startswith("food-delivery/diagrams/") and p.endswith(".png") for p in written)


def test_the_preview_page_shows_every_file_of_every_previewed_format(rendered_all):
    page = render_page(rendered_all, "spec", None, 1)
    previewed = tuple({f.extension for f in RECORDS.values() if f.preview})
    shown = [p for p in _written(rendered_all) if p.endswith(previewed)]
    assert {Path(p).suffix for p in shown} == set(previewed)
    missing = [p for p in shown if p not in page and not (p.endswith(".png") and p[:-4] + ".svg" in page)]
    assert missing == []


def test_render_help_names_every_alias_and_every_format_made_after_the_text(cli):
    help_text = " ".join(cli("render", "--help").stdout.split())
    for name in [*aliases(), *(n for n, f in RECORDS.items() if not f.is_text)]:
        assert name in help_text


def test_an_unknown_format_is_refused_with_the_known_ones(cli, tmp_path):
    result = cli("render", SPEC_MODEL, "-o", tmp_path, "-f", "c4-plantuml,nope")
    assert result.exit_code == 2
    assert "unknown format 'nope'" in result.stderr and all(n in result.stderr for n in RECORDS)
    assert not tmp_path.exists() or _written(tmp_path) == []
