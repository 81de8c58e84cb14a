"""Deployment views in C4-PlantUML: one `deployment/<environment>.puml` per environment (`C4_Deployment`)."""

from __future__ import annotations

from typing import Any

from archkit.formats import Format, RenderOptions
from archkit.formats.c4_legend import deployment_legend
from archkit.formats.c4_macros import ASYNC_TAG
from archkit.formats.c4_plantuml import DIALECT, plantuml_text
from archkit.formats.deployment_macros import INFRASTRUCTURE_MACROS, deployment_calls, selected_deployment_views
from archkit.formats.templating import render_template
from archkit.output import OutputFile


def render(workspace: Any, options: RenderOptions) -> list[OutputFile]:
    return [
        OutputFile.text(f"deployment/{view.name}.puml", render_template(
            "deployment-plantuml/deployment.puml.j2", options.templates, view_name=view.name,
            title=plantuml_text(view.title), calls=deployment_calls(DIALECT, view, INFRASTRUCTURE_MACROS["plantuml"]), async_tag=ASYNC_TAG,
            has_async=any(r.asynchronous for r in view.relationships), legend=deployment_legend(view)))
        for view in selected_deployment_views(workspace, options)
    ]


FORMAT = Format(
    name="deployment-plantuml", draws="one deployment view per environment in C4-PlantUML (C4_Deployment)",
    files="deployment/<view>.puml", extension=".puml", order=12, render=render, templates="deployment-plantuml",
    preview="open", aliases=("plantuml",), family="deployment", weight=1, views="deployment",
)
