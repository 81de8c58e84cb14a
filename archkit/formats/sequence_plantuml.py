"""`sequence-plantuml`: one PlantUML sequence diagram per flow and per `--trace EVENT`, plus the event map.

Files: `flows/<flow-id>.puml`, `flows/trace-<event-id>.puml`, `flows/event-map.puml`.
"""

from __future__ import annotations

from archkit.formats import Format, RenderOptions
from archkit.formats.c4_macros import SITE_FROM_PICTURE
from archkit.formats.sequence_text import plantuml_text
from archkit.formats.templating import render_template
from archkit.model.events import event_info
from archkit.model.workspace import Workspace
from archkit.output import OutputFile
from archkit.views.event_catalogue import channel_page, event_page
from archkit.views.event_map import event_map_view
from archkit.views.sequence import SequenceView, make_participant, sequence_views

FILTERS = {"esc": plantuml_text}


def render(workspace: Workspace, options: RenderOptions) -> list[OutputFile]:
    links = catalogue_pages(workspace, options)
    files = [
        OutputFile.text(f"flows/{view.key}.puml", render_flow(view, options, links))
        for view in sequence_views(workspace, options)
    ]
    event_map = event_map_view(workspace.index) if options.selects("event-map", "event-map") else None
    if event_map is not None and not event_map.empty:
        text = render_template("sequence-plantuml/event-map.puml.j2", options.templates, FILTERS, view=event_map,
                               links=links)
        files.append(OutputFile.text("flows/event-map.puml", text))
    return files


def catalogue_pages(workspace: Workspace, options: RenderOptions) -> dict[str, dict[str, str]]:
    """Channels by alias and events by label -> their catalogue pages, as seen from a flow's or the map's
    picture (none unless the site is rendered)."""
    if not options.catalogue:
        return {"channels": {}, "events": {}}
    index = workspace.index
    return {  # reversed: of two events with one label, the first declared wins
        "events": {event_info(e).label: SITE_FROM_PICTURE + event_page(index, e) for e in reversed(index.event_classes)},
        "channels": {make_participant(c).alias: SITE_FROM_PICTURE + channel_page(c) for c in workspace.channels.values()},
    }


def render_flow(view: SequenceView, options: RenderOptions, links: dict[str, dict[str, str]]) -> str:
    return render_template("sequence-plantuml/flow.puml.j2", options.templates, FILTERS, view=view, links=links)


FORMAT = Format(
    name="sequence-plantuml", draws="a sequence diagram per flow and the event flow map, in PlantUML",
    files="flows/<flow>.puml, flows/event-map.puml", extension=".puml", order=40, render=render,
    templates="sequence-plantuml", preview="open", aliases=("plantuml",), family="flows", weight=2, views="flow",
)
