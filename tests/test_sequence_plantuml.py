"""`sequence-plantuml` (and every .puml of this feature) through the CLI, checked by the real PlantUML jar."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import MODELS_DIR, line_of, plantuml_errors
from sequence_models import HOSTILE, LOOP

FORMATS = "plantuml"  # sequence-plantuml + dynamic-plantuml (+ whatever else the alias holds)


def render(cli, model: Path, out: Path, *extra: str) -> list[Path]:
    result = cli("render", model, "-o", out, "-f", "sequence-plantuml,dynamic-plantuml", *extra)
    assert result.exit_code == 0, result.output
    return sorted(out.rglob("*.puml"))


def test_every_puml_of_the_spec_models_and_hostile_labels_renders(cli, spec_model, write_model, tmp_path):
    """One JVM for the whole batch: the spec (with a trace), every example model, and hostile labels."""
    files = render(cli, spec_model, tmp_path / "spec", "--trace", "OrderPlaced")
    for model in sorted(MODELS_DIR.iterdir()):
        if model.suffix == ".py" or (model / "__init__.py").is_file():
            files += render(cli, model, tmp_path / model.stem)
    hostile = render(cli, write_model(HOSTILE), tmp_path / "hostile", "--trace", "Заказ")
    names = {f.name for f in files}
    assert {"checkout-with-a-saved-card.puml", "payment-timeout.puml", "trace-orderplaced.puml",
            "dynamic-checkout-with-a-saved-card.puml", "event-map.puml"} <= names
    errors = plantuml_errors(files + hostile, tmp_path / "svg", fmt="svg")
    assert not errors, f"PlantUML rejected the output:\n{errors}"
    # What the reader sees is the label itself, not markup or a directive's effect.
    drawn = svg_text(tmp_path / "svg" / "flow-one-end.svg")
    for text in ['click "go" @enduml !include /etc/passwd', "note; # %date() <b>bold</b> **x** \\n",
                 'Ива́н "the user"', "DB \\ back\\slash", "react: else ; # end", 'else "x" ; #']:
        assert text in drawn, text


def svg_text(svg: Path) -> str:
    """Every word PlantUML drew, in document order, separated by single spaces."""
    root = ElementTree.parse(svg).getroot()
    words = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text") if t.text]
    return " ".join(" ".join(words).replace("\xa0", " ").split())


def test_hostile_labels_stay_on_their_line(cli, write_model, tmp_path):
    files = render(cli, write_model(HOSTILE), tmp_path)
    for puml in files:
        lines = puml.read_text(encoding="utf-8").splitlines()
        assert lines[0] == "@startuml" and lines[-1] == "@enduml"
        assert not any(line.strip().startswith(("@enduml", "!", "@startuml")) for line in lines[1:-1]
                       if line != "!include <C4/C4_Dynamic>"), puml
        assert not re.search(r"%\w|\$\w", "\n".join(lines)), f"a preprocessor token leaked into {puml}"
    sequence = (tmp_path / "hostile" / "flows" / "flow-one-end.puml").read_text(encoding="utf-8")
    blocks = [line.strip().split(" ")[0] for line in sequence.splitlines()
              if line.strip().split(" ")[0] in ("alt", "par", "else", "end")]
    assert blocks == ["alt", "else", "end", "par", "else", "end"]


def test_checkout_sequence_diagram_shape(cli, spec_model, tmp_path):
    render(cli, spec_model, tmp_path)
    text = (tmp_path / "food-delivery" / "flows" / "checkout-with-a-saved-card.puml").read_text(encoding="utf-8")
    assert "autonumber" in text and "title Checkout with a saved card" in text
    assert "caption The order is accepted synchronously; the rest is choreography" in text
    assert 'actor "Customer" as e_customer' in text
    assert re.search(r'^queue "food\.orders\.v1.*" as c_food_orders_v1$', text, re.MULTILINE)
    assert "e_web_app -> e_api_gateway : POST /orders\\n<size:10>[HTTPS/JSON]</size>" in text
    assert "e_order_service --> e_api_gateway : 202 Accepted" in text
    assert "e_order_service ->> c_food_orders_v1 : OrderPlaced" in text
    assert re.search(r"^alt PaymentSucceeded$", text, re.MULTILINE) and re.search(r"^else PaymentFailed$", text, re.MULTILINE)
    assert re.search(r"^  par Order service$", text, re.MULTILINE)


def test_trace_option_writes_the_trace_diagram(cli, spec_model, tmp_path):
    render(cli, spec_model, tmp_path, "--trace", "OrderPlaced")
    trace = (tmp_path / "food-delivery" / "flows" / "trace-orderplaced.puml").read_text(encoding="utf-8")
    assert "title Trace of OrderPlaced" in trace
    assert trace.index("e_order_service ->> c_food_orders_v1 : OrderPlaced") < trace.index("alt PaymentSucceeded")


def test_unknown_trace_event_exits_2_and_lists_the_known_ones(cli, spec_model, tmp_path):
    result = cli("render", spec_model, "-o", tmp_path, "--trace", "OrderPlacd")
    assert result.exit_code == 2
    assert "--trace OrderPlacd: no such event" in result.stderr and "OrderPlaced" in result.stderr
    assert not any(tmp_path.iterdir()), "a failed render must write nothing"


def test_a_looping_trace_exits_2_with_the_trace_line_and_the_loop(cli_process, write_model, tmp_path):
    model = write_model(LOOP)
    proc = cli_process("render", model, "-o", tmp_path / "out", cwd=tmp_path)
    assert proc.returncode == 2
    assert f"{model.name}:{line_of(model)}:" in proc.stderr
    assert "Ping -> B -> Pong -> A -> Ping" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_output_is_deterministic(cli, spec_model, tmp_path):
    first = render(cli, spec_model, tmp_path / "a", "--trace", "OrderPlaced")
    second = render(cli, spec_model, tmp_path / "b", "--trace", "OrderPlaced")
    assert [f.read_bytes() for f in first] == [f.read_bytes() for f in second]


@pytest.mark.parametrize("alias, expected", [("plantuml", {"sequence-plantuml", "dynamic-plantuml"}),
                                             ("mermaid", {"sequence-mermaid"})])
def test_aliases_include_the_sequence_formats(alias, expected):
    from archkit.formats import expand_formats

    assert expected <= set(expand_formats([alias]))
