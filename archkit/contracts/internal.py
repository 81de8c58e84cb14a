"""archkit's own bugs in the contract gate: exit 2 with one line saying what was being compared.

A CI gate reads exit 1 as "breaking" and a traceback as noise; an internal error must be neither. The
contract checks wrap each comparison (`comparing`), so the line names the event, channel and JSON path;
`reports_internal_errors` is the last net around `lint`, `diff` and `lock`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click

from archkit.contracts.schema_compat import SchemaCompareError, describe
from archkit.errors import ArchkitError

BUG_REPORT = "this is a bug in archkit, please report it (with the two schemas or documents) at the project's issue tracker"
_F = TypeVar("_F", bound=Callable[..., Any])


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


def reports_internal_errors(command: _F) -> _F:
    """A command callback that ends any unexpected exception with one line on stderr and exit 2."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        from archkit.cli import fail  # the command layer, which imports every command module

        try:
            return command(*args, **kwargs)
        except (click.exceptions.ClickException, click.exceptions.Abort, click.exceptions.Exit):
            raise
        except ArchkitError as exc:
            fail(exc)
        except Exception as exc:
            name = click.get_current_context().command_path
            fail(f"internal error in `{name}`: {describe(exc)}; {BUG_REPORT}")

    return run  # type: ignore[return-value]
