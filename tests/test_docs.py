"""The docs stay true: every public model call and parameter is in docs/reference.md, and every doc
the index links to exists."""

from __future__ import annotations

import inspect
import re

import pytest
from conftest import REPO

from archkit import Event, Workspace
from archkit.model.elements import Broker, Container, Element, SoftwareSystem, _Messaging
from archkit.model.flows import Flow

DOCS = REPO / "docs"
PUBLIC_CALLS = [
    (Workspace, "__init__"), (Workspace, "person"), (Workspace, "system"), (Workspace, "flow"),
    (Element, "uses"), (SoftwareSystem, "container"), (SoftwareSystem, "broker"), (Container, "component"),
    (Broker, "topic"), (Broker, "exchange"), (Broker, "queue"), (_Messaging, "publishes"),
    (_Messaging, "consumes"), (_Messaging, "reacts"), (Event, "__init_subclass__"),
    *[(Flow, name) for name in ("call", "reply", "publish", "consume", "note", "trace", "alt", "case", "parallel",
                                "branch")],
]


@pytest.mark.parametrize("cls, method", PUBLIC_CALLS, ids=lambda x: getattr(x, "__name__", x))
def test_reference_documents_every_public_parameter(cls, method):
    reference = (DOCS / "reference.md").read_text(encoding="utf-8")
    shown = "Workspace" if method == "__init__" else "E" if cls is Event else method
    lines = [line for line in reference.splitlines() if re.search(rf"\b{shown}\(", line)]
    assert lines, f"{cls.__name__}.{method} is not in docs/reference.md"
    params = [p for p in inspect.signature(getattr(cls, method)).parameters if p not in ("self", "kwargs", "cls")]
    for param in params:
        assert any(re.search(rf"\b{param}\b", line) for line in lines), f"{method}: parameter {param} undocumented"


def test_every_doc_linked_from_the_index_exists():
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#]+\.md)\)", index)
    assert len(links) >= 10
    missing = [link for link in links if not (DOCS / link).is_file()]
    assert not missing, f"docs/index.md links to missing pages: {missing}"
