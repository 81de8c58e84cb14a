"""`sequence-plantuml`: one PlantUML sequence diagram per flow and per `--trace EVENT`, plus the event map.

Files: `flows/<flow-id>.puml`, `flows/trace-<event-id>.puml`, `flows/event-map.puml`.

The lines drawn once per participant, message, channel or arrow are written here, every label escaped;
the templates lay out the rest (a dense estate has thousands of such lines: see `sequence_lines`).
"""

from __future__ import annotations

from archkit.formats import Format, RenderOptions
from archkit.formats.c4_macros import DEAD_LETTER_COLOR, SITE_FROM_PICTURE
from archkit.formats.sequence_lines import DETAILS, body_lines
from archkit.formats.sequence_text import plantuml_text as esc
from archkit.formats.templating import render_template
from archkit.model.events import event_info
from archkit.model.workspace import Workspace
from archkit.output import OutputFile
from archkit.views.event_catalogue import channel_page, event_page
from archkit.views.event_map import BrokerGroup, EventMapView, MapEdge, event_map_view
from archkit.views.sequence import Message, NoteItem, Participant, SequenceView, make_participant, sequence_views

FILTERS = {"esc": esc}
Links = dict[str, dict[str, str]]

_FLOW_SHAPES = {"person": "actor", "database": "database", "topic": "queue", "exchange": "queue", "queue": "queue",
                "system": "participant", "container": "participant", "component": "participant"}
_ARROWS = {"call": "->", "reply": "-->", "publish": "->>", "route": "->>", "deliver": "->>", "action": "->"}
_MAP_SHAPES = {"person": "actor", "database": "database", "system": "rectangle", "container": "rectangle",
               "component": "component"}
_MAP_ARROWS = {"publish": "-->", "route": "..>", "consume": "-->", "dead-letter": f"-[{DEAD_LETTER_COLOR},dashed]->"}
#: A topic is a stored log (a cylinder), an exchange a router (a hexagon), a queue a pipe; as in the C4 views.
_CHANNEL_SHAPES = {"topic": "database", "exchange": "hexagon", "queue": "queue"}
_DEAD_LETTER_BOX = f" #FFCDD2;line:{DEAD_LETTER_COLOR.removeprefix('#')}"


def render(workspace: Workspace, options: RenderOptions) -> list[OutputFile]:
    links = catalogue_pages(workspace, options)
    files = [
        OutputFile.text(f"flows/{view.key}.puml", render_flow(view, options, links))
        for view in sequence_views(workspace, options)
    ]
    event_map = event_map_view(workspace.index) if options.selects("event-map", "event-map") else None
    if event_map is not None and not event_map.empty:
        files.append(OutputFile.text("flows/event-map.puml", render_event_map(event_map, options, links)))
    return files


def catalogue_pages(workspace: Workspace, options: RenderOptions) -> Links:
    """Channels by alias and events by label -> their catalogue pages, as seen from a flow's or the map's
    picture (none unless the site is rendered)."""
    if not options.catalogue:
        return {"channels": {}, "events": {}}
    index = workspace.index
    return {  # reversed: of two events with one label, the first declared wins
        "events": {event_info(e).label: SITE_FROM_PICTURE + event_page(index, e) for e in reversed(index.event_classes)},
        "channels": {make_participant(c).alias: SITE_FROM_PICTURE + channel_page(c) for c in workspace.channels.values()},
    }


def render_flow(view: SequenceView, options: RenderOptions, links: Links) -> str:
    body = body_lines(view.items, indent="  ", depth=0, esc=esc, openers={"alt": "else", "par": "else"},
                      line=lambda item: _flow_line(item, links))
    return render_template("sequence-plantuml/flow.puml.j2", options.templates, FILTERS, view=view, links=links,
                           participants=[_lifeline(p, links) for p in view.participants], body=body)


def render_event_map(view: EventMapView, options: RenderOptions, links: Links) -> str:
    return render_template(
        "sequence-plantuml/event-map.puml.j2", options.templates, FILTERS, view=view, links=links,
        services=[f"{_MAP_SHAPES[s.kind]} \"{_boxed(s.name, s.technology)}\" as {s.alias}"
                  f"{' #EEEEEE' if s.external else ''}" for s in view.services],
        frames=[(_boxed(b.name, b.technology), [_channel(c, b, links) for c in b.channels]) for b in view.brokers],
        edges=[_map_edge(e, links) for e in view.edges],
    )


def _boxed(name: str, technology: str) -> str:
    """A box's label: its name, and its technology in small print below it."""
    return esc(name) + (f"\\n<size:10>[{esc(technology)}]</size>" if technology else "")


def _link(channel: Participant, links: Links) -> str:
    """A channel's box links to its catalogue page, when the site is rendered."""
    page = links["channels"].get(channel.alias)
    return f" [[{page}]]" if page else ""


def _lifeline(p: Participant, links: Links) -> str:
    return f"{_FLOW_SHAPES[p.kind]} \"{_boxed(p.name, p.technology)}\" as {p.alias}{_link(p, links)}" \
        f"{' #EEEEEE' if p.external else ''}"


def _flow_line(item: Message | NoteItem, links: Links) -> str:
    """A message (its event linked to its catalogue page) or a note."""
    if isinstance(item, NoteItem):
        return f"note over {item.participant} : {esc(item.text)}"
    label = esc(item.label)
    if item.kind in DETAILS and item.label in links["events"]:
        label = f"[[{links['events'][item.label]} {label}]]"
    technology = f"\\n<size:10>[{esc(item.technology)}]</size>" if item.technology else ""
    detail = f"\\n<size:10>{DETAILS[item.kind]}{esc(item.detail)}</size>" if item.detail else ""
    return f"{item.source} {_ARROWS[item.kind]} {item.target} : {label}{technology}{detail}"


def _channel(c: Participant, broker: BrokerGroup, links: Links) -> str:
    dead_letter = c.alias in broker.dead_letters
    return f"{_CHANNEL_SHAPES[c.kind]} \"{esc(c.name)}\\n<size:10>{'dead-letter queue' if dead_letter else c.kind}" \
        f"</size>\" as {c.alias}{_link(c, links)}{_DEAD_LETTER_BOX if dead_letter else ''}"


def _map_edge(e: MapEdge, links: Links) -> str:
    """An arrow of the map with every event it carries, one a line, each linked to its catalogue page."""
    pages = links["events"]
    events = "\\n".join(f"[[{pages[ev]} {esc(ev)}]]" if pages.get(ev) else esc(ev) for ev in e.events)
    dead_letters = "\\n<size:10>dead letters</size>" if e.kind == "dead-letter" else ""
    detail = f"\\n<size:10>{esc(e.detail)}</size>" if e.detail else ""
    return f"{e.source} {_MAP_ARROWS[e.kind]} {e.target} : {events}{dead_letters}{detail}"


FORMAT = Format(
    name="sequence-plantuml", draws="a sequence diagram per flow and the event flow map, in PlantUML",
    files="flows/<flow>.puml, flows/event-map.puml", extension=".puml", order=40, render=render,
    templates="sequence-plantuml", preview="open", aliases=("plantuml",), family="flows", weight=2, views="flow",
)
