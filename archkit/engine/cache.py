"""archkit's cache folder and its on/off switch, shared by the caches kept across runs: payload schemas
(contracts/schema_cache.py) and the model's compiled modules (bytecode_cache.py)."""

from __future__ import annotations

import os
from pathlib import Path

ENV_DIR = "ARCHKIT_CACHE_DIR"

_enabled = True


def set_enabled(enabled: bool) -> None:
    """Use the caches in this process or not (`--no-cache`, `cache = false` in the configuration)."""
    global _enabled
    _enabled = enabled


def is_enabled() -> bool:
    return _enabled


def cache_root() -> Path:
    """$ARCHKIT_CACHE_DIR, else $XDG_CACHE_HOME/archkit, else ~/.cache/archkit."""
    own = os.environ.get(ENV_DIR)
    if own:
        return Path(own)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "archkit"
