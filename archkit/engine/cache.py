"""archkit's cache folder, shared by the caches kept across runs: payload schemas (schema_cache.py) and
the model's compiled modules (bytecode_cache.py). Whether a run uses them is its Session's choice
(session.py: `--no-cache`, `cache = false`)."""

from __future__ import annotations

import os
from pathlib import Path

ENV_DIR = "ARCHKIT_CACHE_DIR"

def cache_root() -> Path:
    """$ARCHKIT_CACHE_DIR, else $XDG_CACHE_HOME/archkit, else ~/.cache/archkit."""
    own = os.environ.get(ENV_DIR)
    if own:
        return Path(own)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "archkit"
