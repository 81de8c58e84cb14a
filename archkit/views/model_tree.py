"""The whole model as one nested tree plus every relationship: what a workspace-level format (Structurizr
DSL) writes, where the tool itself computes the views."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from archkit.model.elements import Channel, Element, Person, SoftwareSystem
from archkit.views.c4 import NodeKeys, ViewElement, element_of
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

    Messaging relationships end at the broker (channels are not elements of a C4 model). Computed once
    per resolved model: the Structurizr DSL and LikeC4 write the same tree.
    """
    return workspace.index.memo("model-tree", lambda: _model_tree(workspace))


def _model_tree(workspace: Any) -> ModelTree:
    def node(element: Element) -> ModelNode:
        children = getattr(element, "containers", None) or getattr(element, "components", None) or []
        return ModelNode(element_of(element, None), tuple(node(c) for c in children))

    roots = tuple(node(e) for e in workspace.elements.values() if isinstance(e, (Person, SoftwareSystem)))
    keys, edges = NodeKeys(), model_edges(workspace)
    drawn_as = {obj: keys[obj.broker if isinstance(obj, (Channel, DeadLetterQueue)) else obj]
                for edge in edges for obj in (edge.source, edge.destination)}
    return ModelTree(roots, tuple(project(edges, drawn_as.__getitem__, keys.__getitem__)))
