"""Rules about how well the model explains itself."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from archkit.lint.rules.base import Hit, rule
from archkit.model.elements import Container
from archkit.model.index import WorkspaceIndex
from archkit.model.workspace import Workspace


@rule(
    "AK-D115", "undocumented-element", "info",
    "An element with no description, or a container with no technology.",
    explanation="""Descriptions and technologies are what make the generated diagrams and the index readable to
    someone new: a box labelled only "Order service" says little about what it owns or what it runs on.""",
    fix="""Pass a description (`ws.person("Customer", "Orders food")`) and, for containers and brokers,
    `technology="Python, FastAPI"`.""",
)
def undocumented_element(workspace: Workspace, index: WorkspaceIndex, options: Mapping[str, Any]) -> Iterable[Hit]:
    for element in workspace.elements.values():
        missing = []
        if not element.description.strip():
            missing.append("description")
        if isinstance(element, Container) and not element.technology.strip():
            missing.append("technology")
        if missing:
            kind = "broker" if isinstance(element, Container) and element.is_broker else type(element).__name__.lower()
            kind = kind.replace("softwaresystem", "system")
            yield Hit(
                f"{kind} '{element.name}' has no {' and no '.join(missing)}", element.origin, element=element.name,
                suggestion=f"add a {' and a '.join(missing)}",
            )
