"""LikeC4: the whole model and one view per C4 view, as a LikeC4 source file (`likec4/model.c4`).

Open the folder with the LikeC4 CLI or editor (`likec4 start output/<workspace>/likec4`). Elements are
nested as in the model (people and systems, their containers and brokers, their components) and
referenced by their full path (`shop.order-service`); messaging ends at the broker, as in the
Structurizr DSL, and is tagged `#async`. Every element and relationship has a description and a
technology, empty or not, so a file's shape depends on the model's structure, never on its text.
Environments become a `deployment` block (nested `node`s, `infrastructure` nodes, `instanceOf` the
containers they run, `x3` in the title when several copies run) with one `deployment view` each.
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
from archkit.views.c4 import C4View
from archkit.views.deployment import times
from archkit.views.model_tree import ModelNode, model_tree

KINDS = {"person": "person", "system": "system", "container": "container", "database": "database",
         "queue": "queue", "component": "component"}
#: Words of the LikeC4 grammar; an id that is one gets a '_' suffix, which no slug contains.
_RESERVED = {"specification", "model", "views", "view", "element", "tag", "relationship", "deployment", "of",
             "include", "exclude", "style", "title", "description", "technology", "link", "icon", "color",
             "shape", "extend", "dynamic", "global", "import", "this", "it", "with", "where", "and", "or",
             "not", "is", "metadata", "notation", "navigateTo", "autoLayout", "group", "parallel", "par",
             "from", "instance", "node", "person", "system", "container", "component", "database", "queue"}
_NOT_ID = re.compile(r"[^A-Za-z0-9_-]")


def likec4_text(text: str) -> str:
    """Text inside a single-quoted LikeC4 string, showing as written: on one line (like the DSL), with
    the string's two escapes, `\\\\` and `\\'`."""
    flat = " ".join(printable_lines(text))
    return "'" + flat.replace("\\", "\\\\").replace("'", "\\'") + "'"


def likec4_id(key: str) -> str:
    """An element or view id: a letter first (`x_` before a slug that starts with a digit), no keyword."""
    key = _NOT_ID.sub("_", key)
    if not key[:1].isalpha():
        return f"x_{key}"
    return f"{key}_" if key in _RESERVED else key


@dataclass(frozen=True)
class Block:
    """One statement of the model: an element with its properties and children, or a relationship."""

    head: str
    lines: tuple[str, ...] = ()
    children: tuple[Block, ...] = ()


def _element(node: ModelNode, paths: dict[str, str]) -> Block:
    e = node.element
    lines = (*(["#external"] if e.external else []), *_about(e.description, e.technology))
    head = f"{likec4_id(e.key)} = {KINDS[e.kind]} {likec4_text(e.name)}"
    return Block(head, lines, tuple(_element(child, paths) for child in node.children))


def _paths(nodes: tuple[ModelNode, ...], prefix: str, found: dict[str, str]) -> dict[str, str]:
    for node in nodes:
        path = found[node.element.key] = f"{prefix}{likec4_id(node.element.key)}"
        _paths(node.children, f"{path}.", found)
    return found


def _view(view: C4View, paths: dict[str, str]) -> Block:
    subject = f" of {paths[view.subject]}" if view.subject in paths else ""
    return Block(f"view {likec4_id(view.name)}{subject}",
                 (f"title {likec4_text(view.title)}", f"description {likec4_text(view.description)}", "include *"))


def _about(description: str, technology: str) -> tuple[str, str]:
    """An element's or node's description and technology lines, written even when empty."""
    return f"description {likec4_text(description)}", f"technology {likec4_text(technology)}"


def _deployment_node(node: DeploymentNode, paths: dict[str, str]) -> Block:
    """A node with its nested nodes, infrastructure and container instances (ids unique in the model)."""
    children = [_deployment_node(n, paths) for n in node.nodes]
    children += [Block(f"{likec4_id(i.id)} = infrastructure {likec4_text(i.name)}",
                       _about(i.description, i.technology)) for i in node.infrastructure_nodes]
    children += [Block(f"{likec4_id(inst.id)} = instanceOf {paths[inst.container.id]}",
                       (f"title {likec4_text(times(inst.container.name, inst.instances))}",))
                 for inst in node.instances_run]
    return Block(f"{likec4_id(node.id)} = node",
                 (f"title {likec4_text(times(node.name, node.instances))}", *_about(node.description, node.technology)),
                 tuple(children))


def _environment(env: DeploymentEnvironment, paths: dict[str, str]) -> Block:
    return Block(f"{likec4_id(env.id)} = environment {likec4_text(env.name)}", (),
                 tuple(_deployment_node(n, paths) for n in env.nodes))


def _deployment_view(workspace: Any, env: DeploymentEnvironment) -> Block:
    return Block(f"deployment view {likec4_id(f'deployment-{env.id}')}",
                 (f"title {likec4_text(f'Deployment: {workspace.name} - {env.name}')}",
                  f"include {likec4_id(env.id)}.**"))


def render(workspace: Any, options: RenderOptions) -> list[OutputFile]:
    tree = model_tree(workspace)
    paths = _paths(tree.roots, "", {})
    relationships = [
        Block(f"{paths[r.source]} -> {paths[r.destination]} {likec4_text(r.description)}",
              (*(["#async"] if r.asynchronous else []), f"technology {likec4_text(r.technology)}"))
        for r in tree.relationships
    ]
    text = render_template(
        "likec4/model.c4.j2", options.templates, workspace_name=likec4_text(workspace.name),
        elements=[_element(n, paths) for n in tree.roots], relationships=relationships,
        views=[_view(v, paths) for v in selected_views(workspace, options)]
        + [_deployment_view(workspace, e) for e in workspace.environments.values()
           if options.selects("deployment", f"deployment-{e.id}")],
        environments=[_environment(e, paths) for e in workspace.environments.values()],
    )
    return [OutputFile.text("likec4/model.c4", text)]


FORMAT = Format(
    name="likec4", draws="the whole model and its C4 views as a LikeC4 source file",
    files="likec4/model.c4", extension=".c4", order=90, render=render, templates="likec4",
    preview="open", family="c4", weight=2,
)
