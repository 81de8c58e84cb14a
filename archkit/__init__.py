"""archkit: architecture as code for event-driven systems.

A model file builds a `Workspace`; archkit renders it to C4 and sequence diagrams and AsyncAPI, and
lints it for breaking event-contract changes and unsound messaging design.
"""

from importlib.metadata import PackageNotFoundError, version

from archkit.errors import ArchkitError, LoadError, ModelError, ModelErrors
from archkit.model.deployment import ContainerInstance, DeploymentEnvironment, DeploymentNode, InfrastructureNode
from archkit.model.elements import (
    Broker,
    Channel,
    Component,
    Container,
    Element,
    Exchange,
    Person,
    Queue,
    Relationship,
    SoftwareSystem,
    Topic,
)
from archkit.model.events import Event, event_info
from archkit.model.flows import Flow
from archkit.model.unions import OneOf
from archkit.model.workspace import Workspace

try:
    __version__ = version("archkit")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = [
    "ArchkitError", "Broker", "Channel", "Component", "Container", "ContainerInstance", "DeploymentEnvironment",
    "DeploymentNode", "Element", "Event", "Exchange", "Flow", "InfrastructureNode",
    "LoadError", "ModelError", "ModelErrors", "OneOf", "Person", "Queue", "Relationship", "SoftwareSystem", "Topic",
    "Workspace", "event_info", "__version__",
]
