"""`--templates` overrides of the sequence formats written before their lines were built in Python.

tests/data/templates-before-lines/ holds the built-in templates of the sequence formats as they were when
each message, participant, channel and arrow was drawn by the template itself (a Jinja macro over
`view.items`, `esc(...)` per label). An override copied from them must keep working, and draw exactly
what the built-in templates draw now.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MODELS_DIR, REPO
from sequence_models import HOSTILE

FORMATS = "sequence-plantuml,sequence-mermaid,dynamic-plantuml"
BEFORE = REPO / "tests" / "data" / "templates-before-lines"


def rendered(cli, model: Path, out: Path, *extra: str | Path) -> dict[str, bytes]:
    result = cli("render", model, "-o", out, "-f", FORMATS, *extra)
    assert result.exit_code == 0, result.output
    return {str(f.relative_to(out)): f.read_bytes() for f in sorted(out.rglob("*")) if f.suffix in (".puml", ".mmd")}


@pytest.mark.parametrize("model, trace, drawn", [
    (MODELS_DIR / "food_delivery.py", "OrderPlaced",
     {"trace-orderplaced.puml", "trace-orderplaced.mmd", "dynamic-payment-timeout.puml", "event-map.puml"}),
    (MODELS_DIR / "travel_booking", None, {"event-map.puml"}),
    (REPO / "tests" / "messaging_model.py", None, {"event-map.puml"}),  # keys, groups, a dead-letter queue
    ("hostile", "Заказ", {"flow-one-end.puml", "flow-one-end.mmd", "dynamic-flow-one-end.puml", "event-map.puml"}),
])
def test_an_override_written_for_the_earlier_templates_draws_the_same_files(cli, write_model, tmp_path, model,
                                                                             trace, drawn):
    model = write_model(HOSTILE) if model == "hostile" else model
    extra = ("--trace", trace) if trace else ()
    built_in = rendered(cli, model, tmp_path / "built-in", *extra)
    overridden = rendered(cli, model, tmp_path / "override", "--templates", BEFORE, *extra)
    assert drawn <= {Path(name).name for name in built_in}
    assert overridden.keys() == built_in.keys()
    for name, content in built_in.items():
        assert overridden[name] == content, name
