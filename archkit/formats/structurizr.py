"""Structurizr DSL: `structurizr/workspace.dsl`, the whole model with its views, to open in Structurizr.

Structurizr computes views itself, so this writes the model (not the projected views) and one view
definition per C4 view archkit draws, under the same keys as archkit's file names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from archkit.formats import Format, RenderOptions
from archkit.formats.c4_macros import printable_lines, selected_views
from archkit.formats.templating import render_template
from archkit.model.deployment import DeploymentEnvironment, DeploymentNode
from archkit.output import OutputFile
from archkit.views.c4 import C4View, ViewElement, node_key
from archkit.views.edges import ViewRelationship, dead_letter_paths
from archkit.views.model_tree import ModelNode, ModelTree, model_tree

KEYWORDS = {"person": "person", "system": "softwareSystem", "container": "container", "database": "container",
            "queue": "container", "component": "component"}
VIEW_KEYWORDS = {"landscape": "systemLandscape", "context": "systemContext", "container": "container",
                 "component": "component"}
#: Tags archkit adds so the workspace's styles can draw external systems grey, databases and brokers.
KIND_TAGS = {"database": "Database", "queue": "Queue"}
EXTERNAL_TAG, ASYNC_TAG = "External", "Asynchronous"
#: Words that mean something where an identifier stands (`this -> x`); such ids get a '_' suffix,
#: which no slug contains, so the result cannot clash with another element's identifier.
_RESERVED = {"this", "workspace", "model", "views", "styles", "group", "element", "relationship", "include",
             "exclude", "autolayout", "properties", "perspectives", "tags", "url", "description", "technology"}
_SUBSTITUTION = re.compile(r"\$(?=\{)")


def dsl_text(text: str) -> str:
    """Text safe inside a double-quoted DSL string, showing as written.

    The DSL is read line by line, so line breaks become spaces; `\\"` is its only escape, so a quote is
    escaped and a backslash is shown as the look-alike U+29F5 (a trailing `\\` would otherwise escape the
    closing quote); `${NAME}` would be replaced by a constant or an environment variable, so a zero-width
    space is put between `$` and `{`.
    """
    flat = " ".join(printable_lines(text))
    flat = flat.replace("\\", "\u29f5").replace('"', '\\"')
    return _SUBSTITUTION.sub("$\u200b", flat)


def dsl_identifier(key: str) -> str:
    return f"{key}_" if key.lower() in _RESERVED else key


@dataclass(frozen=True)
class Statement:
    """One line of the model block (an element, possibly opening a block of children, or a relationship)."""

    text: str
    children: tuple[Statement, ...] | None = None


def _quoted(text: str) -> str:
    return f'"{dsl_text(text)}"'


def _properties(pairs: list[tuple[str, str]]) -> list[Statement]:
    """A `properties` block (Structurizr shows it in the element's or relationship's tooltip), or nothing."""
    return [Statement("properties", tuple(Statement(f"{_quoted(k)} {_quoted(v)}") for k, v in pairs))] if pairs else []


def _element(node: ModelNode, facts: dict[str, list[tuple[str, str]]]) -> Statement:
    """An element with its children; replicas and a broker's dead-letter queues become properties (the
    DSL has no channel elements, so a queue -> DLQ path has no arrow of its own here)."""
    e: ViewElement = node.element
    tags = [*e.tags, *([KIND_TAGS[e.kind]] if e.kind in KIND_TAGS else []), *([EXTERNAL_TAG] if e.external else [])]
    args = [e.name, e.description] + ([] if e.kind in ("person", "system") else [e.technology]) + [",".join(tags)]
    text = f"{dsl_identifier(e.key)} = {KEYWORDS[e.kind]} " + " ".join(map(_quoted, args))
    pairs = ([("replicas", str(e.replicas))] if e.replicas else []) + facts.get(e.key, [])
    children = [*_properties(pairs), *(_element(c, facts) for c in node.children)]
    return Statement(text, tuple(children) if children else None)


def _relationship(rel: ViewRelationship) -> Statement:
    """A dense arrow (more than DENSE_EVENTS events) keeps its short label; the list is its `events` property."""
    args = [rel.description, rel.technology, ASYNC_TAG if rel.asynchronous else ""]
    children = _properties([("events", rel.note)] if rel.note else [])
    return Statement(f"{dsl_identifier(rel.source)} -> {dsl_identifier(rel.destination)} "
                     + " ".join(map(_quoted, args)), tuple(children) if children else None)


def _dead_letter_facts(workspace: Any) -> dict[str, list[tuple[str, str]]]:
    """Broker key -> ("dead letters of <queue>", "<dlq>") for each of its queues with a dead-letter queue."""
    facts: dict[str, list[tuple[str, str]]] = {}
    for queue, target in dead_letter_paths(workspace).items():
        facts.setdefault(node_key(queue.broker), []).append((f"dead letters of {queue.name}", target.name))
    return facts


def _view(view: C4View) -> Statement:
    subject = f"{dsl_identifier(view.subject)} " if view.subject else ""
    head = f"{VIEW_KEYWORDS[view.level]} {subject}{_quoted(view.name)} {_quoted(view.description)}"
    return Statement(head, (Statement(f"title {_quoted(view.title)}"), Statement("include *"),
                            Statement("autoLayout tb")))


def _node(node: DeploymentNode) -> Statement:
    """`deploymentNode name description technology tags instances { ... }`: nodes, infrastructure, instances.

    A container instance has no count of its own in Structurizr (its node has), so a count above one is
    kept as the instance's `instances` property."""
    children = [_node(n) for n in node.nodes]
    children += [Statement("infrastructureNode " + " ".join(map(_quoted, [i.name, i.description, i.technology])))
                 for i in node.infrastructure_nodes]
    for inst in node.instances_run:
        head = f"containerInstance {dsl_identifier(inst.container.id)}"
        children.append(Statement(head, (Statement("properties", (Statement(f'"instances" "{inst.instances}"'),)),))
                        if inst.instances > 1 else Statement(head))
    args = " ".join(map(_quoted, [node.name, node.description, node.technology, ",".join(node.tags)]))
    return Statement(f"deploymentNode {args} {node.instances}", tuple(children))


def _environment(env: DeploymentEnvironment) -> Statement:
    return Statement(f"deploymentEnvironment {_quoted(env.name)}", tuple(_node(n) for n in env.nodes))


def _deployment_view(env: DeploymentEnvironment) -> Statement:
    key = f"deployment-{env.id}"
    return Statement(f"deployment * {_quoted(env.name)} {_quoted(key)} {_quoted(f'Deployment: {env.name}')}",
                     (Statement("include *"), Statement("autoLayout tb")))


def _shallow_first(tree: ModelTree) -> list[ViewRelationship]:
    """Relationships between outer elements first: Structurizr then skips implying one that already exists."""
    depth: dict[str, int] = {}

    def walk(nodes: tuple[ModelNode, ...], level: int) -> None:
        for node in nodes:
            depth[node.element.key] = level
            walk(node.children, level + 1)

    walk(tree.roots, 0)
    return sorted(tree.relationships, key=lambda r: max(depth[r.source], depth[r.destination]))


def render(workspace: Any, options: RenderOptions) -> list[OutputFile]:
    tree, facts = model_tree(workspace), _dead_letter_facts(workspace)
    text = render_template(
        "structurizr/workspace.dsl.j2", options.templates,
        workspace_name=_quoted(workspace.name), description=_quoted(workspace.description),
        elements=[_element(n, facts) for n in tree.roots], relationships=[_relationship(r) for r in _shallow_first(tree)],
        environments=[_environment(e) for e in workspace.environments.values()],
        views=[_view(v) for v in selected_views(workspace, options)]
        + [_deployment_view(e) for e in workspace.environments.values() if options.wants(f"deployment-{e.id}")],
        external_tag=EXTERNAL_TAG, async_tag=ASYNC_TAG, kind_tags=KIND_TAGS,
    )
    return [OutputFile.text("structurizr/workspace.dsl", text)]


FORMAT = Format(
    name="structurizr", draws="the whole model and its views in the Structurizr DSL",
    files="structurizr/workspace.dsl", extension=".dsl", order=30, render=render, templates="structurizr",
    preview="open", family="c4", weight=2,
)
