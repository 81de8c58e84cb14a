"""AsyncAPI 3.0: reading documents into the neutral contract shape and writing it back.

Documents archkit renders from a model are built in `archkit.views.asyncapi`; this package holds what
any AsyncAPI document needs, whoever wrote it: bindings (both directions), schema hoisting and
localising, `$ref` resolution, the reader and the snapshot writer.
"""

from archkit.asyncapi.errors import AsyncApiError
from archkit.asyncapi.reader import read_asyncapi
from archkit.asyncapi.writer import snapshot_to_asyncapi

__all__ = ["AsyncApiError", "read_asyncapi", "snapshot_to_asyncapi"]
