"""Jinja2 environment for every text format: user templates (``--templates DIR``) override built-ins by name.

Built-in templates ship inside the wheel as ``archkit/templates`` (force-included from the repository's
top-level ``templates/``); in a development checkout they are read from that top-level folder.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from archkit.errors import ArchkitError

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # archkit/


def builtin_templates_dir() -> Path:
    """`archkit/templates` in an installed wheel, else the checkout's top-level `templates/`."""
    shipped = _PACKAGE_DIR / "templates"
    return shipped if shipped.is_dir() else _PACKAGE_DIR.parent / "templates"


@lru_cache(maxsize=8)
def environment(user_dir: Path | None = None) -> jinja2.Environment:
    """One compiled environment per template folder, reused across renders (templates compile once)."""
    loaders: list[jinja2.BaseLoader] = []
    if user_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(user_dir)))
    loaders.append(jinja2.FileSystemLoader(str(builtin_templates_dir())))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    return env


def render_template(name: str, user_dir: Path | None = None, filters: dict[str, Callable[..., Any]] | None = None,
                    **context: Any) -> str:
    """Render a template by name; `filters` are the format's own escaping functions."""
    env = environment(user_dir)
    with template_errors(name):
        template = env.get_template(name)
        return template.render(**{**(filters or {}), **context})


class TemplateError(ArchkitError):
    """A template (usually a user's override from --templates) that does not compile or render."""


@contextmanager
def template_errors(name: str) -> Iterator[None]:
    """Report a broken template as `file:line: error: ...` (exit 2) instead of a Jinja2 traceback."""
    try:
        yield
    except jinja2.TemplateSyntaxError as exc:
        where = f"{exc.filename or name}:{exc.lineno}"
        raise TemplateError(f"{where}: error: template syntax error: {exc.message}") from None
    except jinja2.TemplateError as exc:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
        where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else name
        raise TemplateError(
            f"{where}: error: template {name} failed: {exc}\n"
            "  hint: a template overriding a built-in one gets the same variables; compare it with the built-in"
        ) from None
