"""The whole model as one nested tree plus every relationship: what a workspace-level format (Structurizr
DSL) writes, where the tool itself computes the views."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from archkit.model.elements import Channel, Element, Person, SoftwareSystem
from archkit.views.c4 import ViewElement, element_of, node_key
from archkit.views.edges import DeadLetterQueue, ViewRelationship, model_edges, project


@dataclass(frozen=True)
class ModelNode:
    element: ViewElement
    children: tuple[ModelNode, ...] = ()


@dataclass(frozen=True)
class ModelTree:
    roots: tuple[ModelNode, ...]
    relationships: tuple[ViewRelationship, ...]


def model_tree(workspace: Any) -> ModelTree:
    """People and systems in declaration order, each system with its containers and their components.

    Messaging relationships end at the broker (channels are not elements of a C4 model).
    """
    _ = workspace.index  # validated and indexed first: a wrong model renders nothing

    def node(element: Element) -> ModelNode:
        children = getattr(element, "containers", None) or getattr(element, "components", None) or []
        return ModelNode(element_of(element, None), tuple(node(c) for c in children))

    roots = tuple(node(e) for e in workspace.elements.values() if isinstance(e, (Person, SoftwareSystem)))

    def key_of(obj: Any) -> str:
        return node_key(obj.broker if isinstance(obj, (Channel, DeadLetterQueue)) else obj)

    return ModelTree(roots, tuple(project(model_edges(workspace), key_of, node_key)))
