"""Project configuration: ``[tool.archkit]`` in pyproject.toml, or an ``archkit.toml``.

Found by walking up from the working directory, so a bare ``archkit render`` in a repository works.
Paths in the file are relative to the file; command-line options override every value.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archkit.errors import ArchkitError


class ConfigError(ArchkitError):
    """The configuration file is unreadable or has a wrong value."""


@dataclass
class Config:
    """Settings with their defaults; `source` is the file they came from (None: defaults only)."""

    models: list[Path] = field(default_factory=list)
    output: Path = Path("output")
    formats: list[str] | None = None
    templates: Path | None = None
    lint: dict[str, Any] = field(default_factory=dict)
    cache: bool = True  # keep payload schemas across runs (docs/performance.md); --no-cache overrides
    asyncapi_version: str | None = None  # the AsyncAPI version documents are written in (None: 3.0.0)
    source: Path | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def root(self) -> Path:
        return self.source.parent if self.source else Path.cwd()


_KNOWN_KEYS = {"models", "output", "formats", "templates", "lint", "cache", "asyncapi-version"}
#: The AsyncAPI versions archkit writes (the first is the default); it reads any 3.x.
ASYNCAPI_VERSIONS = ("3.0.0", "3.1.0")


def find_config_file(start: Path | None = None) -> Path | None:
    """archkit.toml, or a pyproject.toml with a [tool.archkit] table, in `start` or a parent folder."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        own = candidate / "archkit.toml"
        if own.is_file():
            return own
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and "archkit" in _read(pyproject).get("tool", {}):
            return pyproject
    return None


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the configuration: {exc}") from None


def load_config(path: Path | None = None) -> Config:
    """Read the configuration at `path`, or the one found from the working directory."""
    path = path or find_config_file()
    if path is None:
        return Config()
    data = _read(path)
    table = data.get("tool", {}).get("archkit", {}) if path.name == "pyproject.toml" else data
    unknown = sorted(set(table) - _KNOWN_KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown archkit setting(s): {', '.join(unknown)} (known: {', '.join(sorted(_KNOWN_KEYS))})")
    base = path.parent
    models = table.get("models", [])
    if isinstance(models, str):
        models = [models]
    formats = table.get("formats")
    if isinstance(formats, str):
        formats = [f.strip() for f in formats.split(",") if f.strip()]
    lint = table.get("lint", {})
    if not isinstance(lint, dict):
        raise ConfigError(f"{path}: [lint] must be a table")
    cache = table.get("cache", True)
    if not isinstance(cache, bool):
        raise ConfigError(f"{path}: cache must be true or false, got {cache!r}")
    spec = table.get("asyncapi-version")
    if spec is not None and spec not in ASYNCAPI_VERSIONS:
        raise ConfigError(f"{path}: asyncapi-version must be one of {', '.join(ASYNCAPI_VERSIONS)}, got {spec!r}")
    return Config(
        asyncapi_version=spec,
        models=[base / m for m in models],
        output=base / table.get("output", "output"),
        formats=formats,
        templates=base / table["templates"] if "templates" in table else None,
        lint=lint,
        cache=cache,
        source=path,
        raw=table,
    )
