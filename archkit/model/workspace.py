"""The Workspace: one estate, its elements, messaging and flows, and the entry point of a model file."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from archkit.errors import ModelError, ModelErrors, SourceLocation, call_site
from archkit.model.deployment import DeploymentEnvironment, DeploymentNode
from archkit.model.elements import Channel, Element, Person, Relationship, SoftwareSystem
from archkit.model.flows import Flow
from archkit.model.ids import slugify
from archkit.model.messaging import Publication, Reaction, Subscription
from archkit.model.payloads import PayloadSchemas

#: Set by the loader while a model file runs, so every Workspace the file creates is found.
created_workspaces: ContextVar[list[Workspace] | None] = ContextVar("created_workspaces", default=None)


class Workspace:
    """One estate. A model file creates one; everything else is created through it and its children."""

    def __init__(self, name: str, description: str = "", *, compatibility: str | None = None) -> None:
        self.origin: SourceLocation | None = call_site()
        if not isinstance(name, str) or not name.strip():
            raise ModelError("Workspace needs a non-empty name", self.origin)
        self.name = name
        self.description = description
        self.id = slugify(name)
        self.compatibility = compatibility
        self.elements: dict[str, Element] = {}
        self.channels: dict[str, Channel] = {}
        self.relationships: list[Relationship] = []
        self.publications: list[Publication] = []
        self.subscriptions: list[Subscription] = []
        self.reactions: list[Reaction] = []
        self.flows: dict[str, Flow] = {}
        self.environments: dict[str, DeploymentEnvironment] = {}
        #: Every deployment node of every environment, by id (an id names one node in one environment).
        self.deployment_nodes: dict[str, DeploymentNode] = {}
        self._index: Any = None
        #: Payload schemas and fingerprints of its events; the loader hands it its session's, shared.
        self.payloads = PayloadSchemas()
        registry = created_workspaces.get()
        if registry is not None:
            registry.append(self)

    def __repr__(self) -> str:
        return f"Workspace({self.name!r})"

    # --- the public API --------------------------------------------------------------------------
    def person(self, name: str, description: str = "", external: bool = False, *, id: str | None = None,
               tags: tuple[str, ...] = ()) -> Person:
        """A C4 person (a user role or an outside actor)."""
        return self._create_element(
            Person, call_site(), id=id, name=name, description=description, external=external, tags=tuple(tags)
        )

    def system(self, name: str, description: str = "", external: bool = False, *, id: str | None = None,
               tags: tuple[str, ...] = ()) -> SoftwareSystem:
        """A C4 software system; `external=True` for systems outside the team's control."""
        return self._create_element(
            SoftwareSystem, call_site(), id=id, name=name, description=description, external=external,
            tags=tuple(tags),
        )

    def flow(self, name: str, description: str = "", *, id: str | None = None) -> Flow:
        """A scenario, drawn as a sequence diagram and a C4 dynamic view."""
        origin = call_site()
        flow_id = self._claim_id(self.flows, id, name, "flow", origin)
        flow = Flow(self, flow_id, name, description, origin)
        self.flows[flow_id] = flow
        self._index = None
        return flow

    def environment(self, name: str) -> DeploymentEnvironment:
        """A deployment environment (Production, Staging): nodes, and the container instances they run."""
        origin = call_site()
        env_id = self._claim_id(self.environments, None, name, "deployment environment", origin)
        env = DeploymentEnvironment(self, name, origin)
        self.environments[env_id] = env
        self._index = None
        return env

    # --- queries used by every later stage -------------------------------------------------------
    @property
    def people(self) -> list[Person]:
        return [e for e in self.elements.values() if isinstance(e, Person)]

    @property
    def systems(self) -> list[SoftwareSystem]:
        return [e for e in self.elements.values() if isinstance(e, SoftwareSystem)]

    @property
    def index(self) -> Any:
        """The resolved, validated index (built once, rebuilt after the model changes)."""
        if self._index is None:
            self.resolve()
        return self._index

    def resolve(self) -> Any:
        """Validate the whole model and build the index; raises ModelErrors listing every problem."""
        from archkit.model.index import WorkspaceIndex
        from archkit.model.validate import validate

        index = WorkspaceIndex(self)
        errors = validate(self, index)
        if errors:
            raise ModelErrors(errors)
        self._index = index
        return index

    # --- registration (called by the element classes) --------------------------------------------
    def _claim_id(self, taken: dict[str, Any], id: str | None, name: Any, what: str, origin: SourceLocation | None) -> str:
        if not isinstance(name, str) or not name.strip():
            raise ModelError(f"a {what} needs a non-empty name, got {name!r}", origin)
        wanted = id if id is not None else slugify(name)
        if id is not None and (not isinstance(id, str) or slugify(id) != id):
            raise ModelError(f"id={id!r} for {what} '{name}' is not a slug (lower-case letters, digits and '-')", origin,
                             hint=f"for example id={slugify(str(id))!r}")
        if wanted in taken:
            other = taken[wanted]
            where = f" (declared at {other.origin})" if getattr(other, "origin", None) else ""
            raise ModelError(
                f"duplicate id '{wanted}': {what} '{name}' clashes with '{other.name}'{where}",
                origin, hint="give one of them a distinct name or pass id='...'",
            )
        return wanted

    def _create_element(self, cls: type[Element], origin: SourceLocation | None, id: str | None, **fields: Any) -> Any:
        kind = cls.__name__.lower().replace("softwaresystem", "system")
        element_id = self._claim_id(self.elements, id, fields.get("name"), kind, origin)
        element = cls.build(f"{kind} '{fields.get('name')}'", origin, id=element_id, **fields)
        element._workspace = self
        self.elements[element_id] = element
        self._index = None
        return element

    def _create_channel(self, cls: type[Channel], origin: SourceLocation | None, id: str | None, **fields: Any) -> Any:
        kind = cls.__name__.lower()
        channel_id = self._claim_id(self.channels, id, fields.get("name"), kind, origin)
        channel = cls.build(f"{kind} '{fields.get('name')}'", origin, id=channel_id, **fields)
        self.channels[channel_id] = channel
        self._index = None
        return channel

    def _add_relationship(self, rel: Relationship) -> None:
        self.relationships.append(rel)
        self._index = None

    def _add_publication(self, pub: Publication) -> None:
        self.publications.append(pub)
        self._index = None

    def _add_subscription(self, sub: Subscription) -> None:
        self.subscriptions.append(sub)
        self._index = None

    def _add_reaction(self, reaction: Reaction) -> None:
        self.reactions.append(reaction)
        self._index = None

