"""Jinja2 environment for every text format: user templates (``--templates DIR``) override built-ins by name.

Built-in templates ship inside the wheel as ``archkit/templates`` (force-included from the repository's
top-level ``templates/``); in a development checkout they are read from that top-level folder.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

_PACKAGE_DIR = Path(__file__).resolve().parent


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
    template = env.get_template(name)
    if filters:
        return template.render(**{**filters, **context})
    return template.render(**context)
