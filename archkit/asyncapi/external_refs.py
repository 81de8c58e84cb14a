"""`$ref`s to other local files: bundled into the document before it is read, never fetched.

AsyncAPI documents are often split over files (`$ref: '../common/messages.yaml#/commentLiked'`). Each
referenced file is read once (relative to the file that refers to it, recursively), stored whole under
`x-archkit-files` in the root document, and every reference into it is rewritten as an internal
pointer, so the reader's own `$ref` machinery (cycle detection included) works unchanged and files that
refer to each other in a ring are read once each. A reference that leaves the root folder is refused,
and so is one to a file that does not exist. URLs are left as they are: archkit never reaches the
network; the reader refuses them, except as a whole payload schema (kept as the reference, see reader).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from archkit.asyncapi.errors import AsyncApiError
from archkit.asyncapi.refs import escape
from archkit.asyncapi.source import line_finder, parse
from archkit.contracts.schema_formats import is_url

#: Where the referenced files are kept inside the bundled document (an extension field: readers skip it).
BUNDLE_KEY = "x-archkit-files"


def refs_root(document: Path, *roots: Path | None) -> Path:
    """The folder references may not leave: the first of `roots` the document is inside (`--root`, the
    configuration's folder), else the document's own folder."""
    document = document.resolve()
    for root in roots:
        if root is not None and document.is_relative_to(root.resolve()):
            return root.resolve()
    return document.parent


#: A `$ref` whose value does not start with '#' (quoted or not, YAML or JSON): only then is there work.
_EXTERNAL = re.compile(r"""\$ref["']?\s*:\s*(?!["']?#)""")


def bundle(doc: Any, text: str, source: Path, root: Path) -> Any:
    """`doc` (read from `source`) with every relative file `$ref` pointing into `doc[BUNDLE_KEY]`."""
    if not _EXTERNAL.search(text):
        return doc  # internal references only, as in every document archkit writes: nothing to copy
    bundler = _Bundler(source.resolve(), root.resolve())
    out = bundler.rewrite(doc, bundler.source, text)
    if bundler.files and isinstance(out, dict):
        out[BUNDLE_KEY] = bundler.files
    return out


class _Bundler:
    def __init__(self, source: Path, root: Path) -> None:
        self.source, self.root = source, root
        self.files: dict[str, Any] = {}  # key (path relative to root) -> rewritten content
        self.keys: dict[Path, str] = {}

    def rewrite(self, data: Any, file: Path, text: str) -> Any:
        lines = functools.cache(lambda: line_finder(text))  # composed only to report an error


        def walk(node: Any, path: list[str]) -> Any:
            if isinstance(node, dict):
                out = {k: walk(v, [*path, str(k)]) for k, v in node.items() if k != "$ref"}
                if isinstance(node.get("$ref"), str):
                    out = {"$ref": self.target(node["$ref"], file, lambda: lines()([*path, "$ref"])), **out}
                elif "$ref" in node:
                    out = {"$ref": node["$ref"], **out}
                return out
            if isinstance(node, list):
                return [walk(item, [*path, str(i)]) for i, item in enumerate(node)]
            return node

        return walk(data, [])

    def target(self, ref: str, file: Path, line: Any) -> str:
        """The internal pointer for `ref` written in `file` (which may be the root document)."""
        if is_url(ref):
            return ref
        location, _, fragment = ref.partition("#")
        if not location:
            return ref if file == self.source else self.pointer(file, fragment)
        target = (file.parent / unquote(location)).resolve()
        if not target.is_relative_to(self.root):
            raise AsyncApiError(f"$ref {ref!r} leaves the root folder {self.root}; only files inside it are read",
                                str(file), line())
        if target == self.source:
            return "#" + fragment
        if target not in self.keys:
            if not target.is_file():
                raise AsyncApiError(f"$ref {ref!r}: no such file {target}", str(file), line())
            try:
                content = target.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise AsyncApiError(f"$ref {ref!r}: cannot read {target}: {exc}", str(file), line()) from None
            self.keys[target] = target.relative_to(self.root).as_posix()
            self.files[self.keys[target]] = None  # claimed before the walk: a file referring back is read once
            self.files[self.keys[target]] = self.rewrite(parse(content, str(target)), target, content)
        return self.pointer(target, fragment)

    def pointer(self, file: Path, fragment: str) -> str:
        if fragment and not fragment.startswith("/"):
            raise AsyncApiError(f"$ref fragment {fragment!r} is not a JSON pointer", str(file))
        return f"#/{BUNDLE_KEY}/{escape(self.keys[file])}{fragment}"
