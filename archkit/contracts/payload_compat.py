"""Which rules judge a payload change: JSON Schema, Avro, or none (a format archkit does not know).

A message's payload has a format (`MessageContract.schema_format`). JSON Schema payloads go through
`schema_compat`, Avro ones through `avro_compat`; a payload in any other format, or one that is only a
URL reference archkit never fetches, is compared as text: unchanged is fine, changed is reported as not
judged. A changed format is breaking both ways (readers decode the bytes with the old format).
"""

from __future__ import annotations

from typing import Any

from archkit.contracts.avro_compat import AvroSchemaError, avro_changes
from archkit.contracts.schema_compat import Change, compare_schemas, identical
from archkit.contracts.schema_formats import AVRO, is_url

#: Change.kind of a payload archkit cannot judge (rule AK-C113, a warning).
NOT_JUDGED = "format-not-judged"


def payload_changes(old: Any, new: Any, old_format: str | None, new_format: str | None, *,
                    rules: str = "default") -> list[Change]:
    """Every difference between two payloads, classified by the rules of their format."""
    if old_format != new_format:
        return [Change("$", "format-changed", f"payload format changed from {_name(old_format)} to "
                       f"{_name(new_format)}", _name(old_format), _name(new_format), backward=False, forward=False)]
    if identical(old, new):
        return []
    if new_format is None and not (_url_only(old) or _url_only(new)):
        return compare_schemas(old, new, rules=rules)
    if new_format == AVRO and not (_url_only(old) or _url_only(new)):
        try:
            return avro_changes(old, new)
        except AvroSchemaError as exc:
            return [_not_judged(new_format, f"not an Avro schema: {exc}")]
    why = "a schema archkit does not fetch (a URL)" if _url_only(old) or _url_only(new) else "a format archkit does not judge"
    return [_not_judged(new_format, why)]


def _not_judged(fmt: str | None, why: str) -> Change:
    return Change("$", NOT_JUDGED, f"payload ({_name(fmt)}) changed, not judged: {why}", judged=False,
                  backward=False, forward=False)


def _url_only(schema: Any) -> bool:
    return isinstance(schema, dict) and set(schema) == {"$ref"} and isinstance(schema["$ref"], str) \
        and is_url(schema["$ref"])


def _name(fmt: str | None) -> str:
    return "JSON Schema" if fmt is None else ("Avro" if fmt == AVRO else fmt)
