"""Payload schema formats (`schemaFormat` of a Multi Format Schema Object): which ones archkit judges.

JSON Schema (AsyncAPI's own dialect and plain Draft 07, in JSON or YAML) is compared by
`contracts.schema_compat`; Avro by the `avro` package's schema-resolution checker. Any other format
(Protobuf, RAML, OpenAPI...) is read and kept as written, and a change to it is reported as not judged.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

#: `MessageContract.schema_format` of an Avro payload (None: JSON Schema; anything else: the media type).
AVRO = "avro"
#: What archkit writes for an Avro payload.
AVRO_MEDIA_TYPE = "application/vnd.apache.avro+json;version=1.9.0"
#: The `contentType` of a message whose payload is Avro: records travel in Avro's binary encoding.
AVRO_CONTENT_TYPE = "avro/binary"

_JSON_SCHEMA = re.compile(r"^application/(vnd\.aai\.asyncapi(\+json|\+yaml)?|schema\+json|schema\+yaml)(;version=.*)?$")
_AVRO = re.compile(r"^application/vnd\.apache\.avro(\+json|\+yaml)?(;version=.*)?$")


def schema_format(media_type: str) -> str | None:
    """None for JSON Schema, AVRO for Avro, else the media type itself (lower case, without spaces)."""
    normal = media_type.replace(" ", "").lower()
    if _JSON_SCHEMA.match(normal):
        return None
    if _AVRO.match(normal):
        return AVRO
    return normal


def media_type(fmt: str | None) -> str | None:
    """The `schemaFormat` to write for a contract's format (None: a plain JSON Schema payload)."""
    return AVRO_MEDIA_TYPE if fmt == AVRO else fmt


def is_url(ref: str) -> bool:
    """A `$ref` to `https://...`, `file:...`, `urn:...`: anything with a scheme (a Windows drive letter is
    not one). archkit reads no schema from the network: such a payload is kept as written."""
    return len(urlsplit(ref).scheme) > 1
