"""The real-tool checks the other tests rely on must catch broken input, or they prove nothing."""

from pathlib import Path

from conftest import plantuml_errors
from mermaid_check import mermaid_errors


def test_mermaid_check_accepts_good_and_rejects_broken_input(tmp_path: Path):
    good = tmp_path / "good.mmd"
    good.write_text('sequenceDiagram\n  participant a as "Alice"\n  a->>b: hi\n')
    broken = tmp_path / "broken.mmd"
    broken.write_text("sequenceDiagram\n  a-->>>b: \n  alt x\n")
    errors = mermaid_errors([good, broken], tmp_path / "out")
    assert len(errors) == 1 and "broken.mmd" in errors[0]


def test_plantuml_check_rejects_a_broken_c4_diagram(tmp_path: Path):
    broken = tmp_path / "broken.puml"
    broken.write_text('@startuml\n!include <C4/C4_Container>\nPerson(c, "Cust"\nFoo(x)\n@enduml\n')
    assert plantuml_errors([broken], tmp_path / "out")
