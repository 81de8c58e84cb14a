"""Which baseline the current model is compared with, and which of its snapshots each workspace meets.

A baseline is named by one string (`--baseline X` or `baseline = "X"` in the config), told apart by what
exists: an existing `.yaml`/`.yml` file is an AsyncAPI document; an existing `.json` (or other) file is
the lock file when its content says so (`archkit_lock_format`), an AsyncAPI document when it has an
`asyncapi` field; anything else is a git ref. A missing file with a document suffix is an error rather
than a confusing "no such git ref". Without any, the lock file next to the config (or in the working
directory) is the default.

Lock and git baselines hold one snapshot per workspace, matched by name. An AsyncAPI document is one
snapshot, usually a slice of a workspace (one container's or one broker's channels), so it is compared
with each workspace it shares a channel or message with: what the document has must still hold, what
the model adds beyond it is not judged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from archkit.contracts.lockfile import LOCK_NAME, default_lock_path, parse_json, read_lock
from archkit.contracts.snapshot import ContractSnapshot
from archkit.lint.git_baseline import BaselineError, existing_at_ref, snapshots_at_ref

if TYPE_CHECKING:
    from archkit.engine.session import Session

BaselineKind = Literal["lock", "git", "asyncapi"]
DOCUMENT_SUFFIXES = (".json", ".yaml", ".yml")
History = Mapping[str, Sequence[Mapping[str, Any]]]


@dataclass(frozen=True)
class BaselineSource:
    """What a baseline string names: its kind and the file or ref."""

    kind: BaselineKind
    target: str  # a file path for lock and asyncapi, the ref for git

    @property
    def label(self) -> str:
        return {"lock": "lock file", "git": "git ref", "asyncapi": "AsyncAPI document"}[self.kind] + f" {self.target}"


def detect_baseline(spec: str, base: Path) -> BaselineSource:
    """Tell a lock file, an AsyncAPI document and a git ref apart (see the module docstring)."""
    path = Path(spec).expanduser()
    path = path if path.is_absolute() else base / path
    if path.is_file():
        return BaselineSource(_file_kind(path), str(path))
    if path.suffix.lower() in DOCUMENT_SUFFIXES:
        raise BaselineError(f"baseline file {spec} does not exist")
    return BaselineSource("git", spec)


def default_baseline(config_root: Path, cwd: Path | None = None) -> BaselineSource | None:
    """The lock file next to the configuration, else in the working directory; None when neither exists."""
    for path in (default_lock_path(config_root), (cwd or Path.cwd()) / LOCK_NAME):
        if path.is_file():
            return BaselineSource("lock", str(path))
    return None


def _file_kind(path: Path) -> BaselineKind:
    if path.suffix.lower() in (".yaml", ".yml"):
        return "asyncapi"
    try:
        text = path.read_bytes()
        if b'"archkit_lock_format"' in text[:64]:  # how `archkit lock` starts every file (sorted keys):
            return "lock"  # no need to parse megabytes twice; the lock reader reports anything wrong in it
        data = parse_json(text)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BaselineError(f"baseline {path}: not a JSON lock file or AsyncAPI document ({exc})") from None
    if isinstance(data, dict) and "archkit_lock_format" in data:
        return "lock"
    if isinstance(data, dict) and "asyncapi" in data:
        return "asyncapi"
    raise BaselineError(f"baseline {path}: neither an archkit lock file (`archkit lock`) nor an AsyncAPI document")


@dataclass(frozen=True)
class Comparison:
    """One comparison to run: a current workspace snapshot, what it is compared with, and its history."""

    current: ContractSnapshot
    baseline: ContractSnapshot
    history: History = field(default_factory=dict)


@dataclass
class Baseline:
    """A loaded baseline: snapshots by workspace name (lock, git) or one document's snapshot."""

    source: BaselineSource
    by_workspace: dict[str, ContractSnapshot] = field(default_factory=dict)
    histories: dict[str, History] = field(default_factory=dict)
    document: ContractSnapshot | None = None
    notes: list[str] = field(default_factory=list)

    def comparisons(self, current: Iterable[ContractSnapshot]) -> list[Comparison]:
        """Pair each current workspace with its baseline; a workspace without one is noted, not checked."""
        current = list(current)
        if self.document is not None:
            return [Comparison(c, self.document) for c in _sharing(self.document, current, self.source)]
        pairs = []
        for snapshot in current:
            base = self.by_workspace.get(snapshot.name)
            if base is None:
                self.notes.append(f"workspace '{snapshot.name}' is not in the baseline ({self.source.label}); "
                                  "its contracts were not checked")
            else:
                pairs.append(Comparison(snapshot, base, self.histories.get(snapshot.name, {})))
        return pairs


def load_baseline(source: BaselineSource, model_paths: Sequence[Path], root: Path | None = None,
                  session: Session | None = None) -> Baseline:
    """Read the lock file or document, or load the models at the git ref (work tree untouched) in
    `session` (their payload schemas cached like the models' own).

    `root`: the configuration's folder, which a document's `$ref`s to other files may not leave."""
    baseline = Baseline(source)
    if source.kind == "lock":
        lock = read_lock(Path(source.target))
        baseline.by_workspace = dict(lock.snapshots)
        baseline.histories = {name: lock.histories(name) for name in lock.snapshots}
    elif source.kind == "asyncapi":
        from archkit.asyncapi.external_refs import refs_root  # with YAML: ~30 ms that lint against a lock skips
        from archkit.asyncapi.reader import read_asyncapi

        path = Path(source.target)
        baseline.document = without_implied_dead_letters(read_asyncapi(path, refs_root(path, root or Path.cwd())))
    else:
        paths = list(dict.fromkeys(Path(p).resolve() for p in model_paths))
        present = existing_at_ref(source.target, paths)
        for path in paths:
            if path not in present:
                baseline.notes.append(f"{path.name} did not exist at {source.target}; its workspaces have no baseline")
        snapshots = snapshots_at_ref(source.target, present, session) if present else []
        baseline.by_workspace = {s.name: s for s in snapshots}
    return baseline


def without_implied_dead_letters(document: ContractSnapshot) -> ContractSnapshot:
    """Drop dead-letter queues a document lists as channels of their own.

    A model names a queue's dead-letter queue as a setting (`dead_letter=`), and AsyncAPI writers list it
    as a channel; a changed dead-letter queue is reported on its queue (AK-C112), not as a removed channel.
    """
    implied = {c.dead_letter for c in document.channels.values() if c.dead_letter}
    channels = {a: c for a, c in document.channels.items() if a not in implied or c.producers or c.consumers}
    return replace(document, channels=channels)


def _sharing(document: ContractSnapshot, current: list[ContractSnapshot], source: BaselineSource) -> list[ContractSnapshot]:
    """The workspaces a document describes: those sharing a channel or message with it."""
    sharing = [c for c in current
               if set(c.channels) & set(document.channels) or set(c.messages) & set(document.messages)]
    if sharing or len(current) == 1:
        return sharing or current
    names = ", ".join(f"'{c.name}'" for c in current)
    raise BaselineError(f"{source.label} shares no channel or message with the workspaces {names}")
