"""archkit's own bugs in the contract gate: exit 2 with one line saying what was being compared.

A CI gate reads exit 1 as "breaking" and a traceback as noise; an internal error must be neither. The
contract checks wrap each comparison (`comparing`), so the line names the event, channel and JSON path;
the command layer's `reports_internal_errors` (cli/app.py) is the last net around `lint`, `diff` and
`lock`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from archkit.contracts.schema_compat import SchemaCompareError, describe
from archkit.errors import ArchkitError

BUG_REPORT = "this is a bug in archkit, please report it (with the two schemas or documents) at the project's issue tracker"


class InternalError(ArchkitError):
    """An unexpected exception inside archkit, with what it was doing (reported as exit 2)."""


@contextmanager
def comparing(what: str) -> Iterator[None]:
    """Turn an unexpected exception into an InternalError naming `what` (and the schema path, if known)."""
    try:
        yield
    except ArchkitError:
        raise
    except SchemaCompareError as exc:
        raise InternalError(f"internal error while comparing {what} at {exc.path}: {describe(exc.cause)}; "
                            f"{BUG_REPORT}") from exc
    except Exception as exc:
        raise InternalError(f"internal error while comparing {what}: {describe(exc)}; {BUG_REPORT}") from exc
