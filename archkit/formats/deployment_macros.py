"""Deployment views as C4 macro calls (Deployment_Node, Node, Container, ContainerQueue, Rel), for both
C4-PlantUML's `C4_Deployment` and Mermaid's `C4Deployment`, which share the vocabulary."""

from __future__ import annotations

from typing import Any

from archkit.formats import RenderOptions
from archkit.formats.c4_macros import ASYNC_TAG, C4Dialect, Call, identifier
from archkit.views.deployment import DeploymentBox, DeploymentView, deployment_views

BOX_MACROS = {"container": "Container", "database": "ContainerDb", "broker": "ContainerQueue"}


#: How each format draws an infrastructure node: C4-PlantUML's `Node` without a body is a plain box;
#: Mermaid's `Node` is a boundary that must have children, so there it is a grey (not our own) container.
INFRASTRUCTURE_MACROS = {"plantuml": "Node", "mermaid": "Container_Ext"}


def box_call(dialect: C4Dialect, box: DeploymentBox, infrastructure: str) -> Call:
    """A node is a block (`Deployment_Node(...) { ... }`), the rest are boxes."""
    alias, name = identifier(box.key), dialect.quoted(box.name)
    if box.kind == "node":
        args = (alias, name, dialect.quoted(box.technology), dialect.quoted(box.description))
        return Call("Deployment_Node", args, tuple(box_call(dialect, c, infrastructure) for c in box.children))
    macro = infrastructure if box.kind == "infrastructure" else BOX_MACROS[box.kind]
    return Call(macro, (alias, name, dialect.quoted(box.technology), dialect.quoted(box.description)))


def deployment_calls(dialect: C4Dialect, view: DeploymentView, infrastructure: str) -> list[Call]:
    calls = [box_call(dialect, b, infrastructure) for b in view.roots]
    for rel in view.relationships:
        args = [identifier(rel.source), identifier(rel.destination), dialect.quoted(rel.description),
                dialect.quoted(rel.technology)]
        if rel.asynchronous and dialect.supports_tags:
            args.append(f'$tags="{ASYNC_TAG}"')
        calls.append(Call("Rel", tuple(args)))
    return calls


def selected_deployment_views(workspace: Any, options: RenderOptions) -> list[DeploymentView]:
    """The deployment views `--view` (and watch's fast path, which redraws them as "deployment:<name>") ask for."""
    return [v for v in deployment_views(workspace) if options.selects("deployment", v.name)]
