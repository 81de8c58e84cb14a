"""Deployment views in Mermaid: one `deployment/<environment>.mmd` per environment (`C4Deployment`)."""

from __future__ import annotations

from typing import Any

from archkit.formats import Format, RenderOptions
from archkit.formats.c4_mermaid import DIALECT, mermaid_text
from archkit.formats.deployment_macros import INFRASTRUCTURE_MACROS, deployment_calls, selected_deployment_views
from archkit.formats.templating import render_template
from archkit.output import OutputFile


def render(workspace: Any, options: RenderOptions) -> list[OutputFile]:
    return [
        OutputFile.text(f"deployment/{view.name}.mmd", render_template(
            "deployment-mermaid/deployment.mmd.j2", options.templates,
            title=mermaid_text(view.title), calls=deployment_calls(DIALECT, view, INFRASTRUCTURE_MACROS["mermaid"])))
        for view in selected_deployment_views(workspace, options)
    ]


FORMAT = Format(
    name="deployment-mermaid", draws="one deployment view per environment in Mermaid (C4Deployment)",
    files="deployment/<view>.mmd", extension=".mmd", order=22, render=render, templates="deployment-mermaid",
    preview="open", aliases=("mermaid",), family="deployment", weight=1, views="deployment",
)
