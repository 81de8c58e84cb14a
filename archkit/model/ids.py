"""Stable identifiers: a slug of a name, the same on every run, so output file names never churn."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def slugify(name: str) -> str:
    """Lower-case ASCII words joined by '-'; safe as a file name and as an identifier fragment.

    Names with no ASCII letters (Cyrillic, emoji) get a short hash so they still have a stable,
    distinct slug; reserved device names get a suffix so the slug is always a usable file name.
    """
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    slug = _NON_ALNUM.sub("-", folded).strip("-")[:80].strip("-")
    if not slug:
        slug = "x" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    if slug in _WINDOWS_RESERVED:
        slug += "-1"
    return slug
