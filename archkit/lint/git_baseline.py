"""The contract baseline at a git ref: the models as they were committed, loaded without touching the work tree.

The folders holding the model paths are exported with `git archive REF -- FOLDER...` into a temporary
folder (so model-local imports come along), loaded there with the ordinary loader, snapshotted, and the
temporary folder is removed. Source locations are mapped back to work-tree paths, so a finding about a
removed event still points at a file a reviewer can open.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from archkit.contracts.from_model import snapshot_from_workspace
from archkit.contracts.snapshot import ContractSnapshot
from archkit.errors import ArchkitError, SourceLocation

if TYPE_CHECKING:
    from archkit.engine.session import Session


class BaselineError(ArchkitError):
    """The git baseline cannot be produced: no repository, unknown ref, model absent at that ref."""


def snapshots_at_ref(ref: str, model_paths: list[Path], session: Session | None = None) -> list[ContractSnapshot]:
    """Snapshots of the workspaces `model_paths` defined at git `ref` (e.g. "HEAD~1", "origin/main"),
    loaded in `session` (default: one of its own), whose schema cache keeps their payload schemas under
    a stable name."""
    if session is None:
        from archkit.engine.session import Session

        session = Session()
    if not model_paths:
        raise BaselineError("no model paths to load at the git baseline")
    paths = [Path(p).resolve() for p in model_paths]
    root = repository_root(paths[0])
    commit = resolve_ref(root, ref)
    relative = []
    for path in paths:
        try:
            relative.append(path.relative_to(root))
        except ValueError:
            raise BaselineError(f"{path} is outside the git repository {root}") from None
    with tempfile.TemporaryDirectory(prefix="archkit-baseline-") as tmp:
        export = Path(tmp).resolve()
        _export(root, commit, ref, sorted({_folder(path, rel) for path, rel in zip(paths, relative, strict=True)}), export)
        missing = [str(rel) for rel in relative if not (export / rel).exists()]
        if missing:
            raise BaselineError(f"{', '.join(missing)} did not exist at {ref}")
        with session.schemas.standing_in(export, f"git-baseline:{root}"):  # the same name on every run
            try:
                loaded = session.load([export / rel for rel in relative], make_schemas=True)  # every payload schema, on every core
            except ArchkitError as exc:
                raise BaselineError(f"the models at {ref} cannot be loaded:\n{exc}") from None
            snapshots = [snapshot_from_workspace(ws) for model in loaded for ws in model.workspaces]
            session.save(loaded)  # now, while the exported files exist: the cache's key hashes them
    return [_relocate(s, export, root) for s in snapshots]


def repository_root(path: Path) -> Path:
    root = find_repository_root(path)
    if root is None:
        raise BaselineError(f"{path} is not inside a git repository, so a git ref cannot be its baseline")
    return root


def find_repository_root(path: Path) -> Path | None:
    """The top folder of the git work tree holding `path`; None outside one (or without git)."""
    folder = path if path.is_dir() else path.parent
    try:
        result = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=folder, capture_output=True, check=False)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return Path(result.stdout.decode().strip()).resolve() if result.returncode == 0 else None


def existing_at_ref(ref: str, model_paths: list[Path]) -> list[Path]:
    """Those of `model_paths` that exist at `ref`: a model file added since has no baseline to compare with."""
    paths = [Path(p).resolve() for p in model_paths]
    if not paths:
        return []
    root = repository_root(paths[0])
    commit = resolve_ref(root, ref)
    found = []
    for path in paths:
        try:
            rel = path.relative_to(root).as_posix()
        except ValueError:
            raise BaselineError(f"{path} is outside the git repository {root}") from None
        if rel == "." or _git(root, "cat-file", "-e", f"{commit}:{rel}").returncode == 0:
            found.append(path)
    return found


def resolve_ref(root: Path, ref: str) -> str:
    """The commit `ref` names; BaselineError when it does not exist."""
    if ref.startswith("-"):
        raise BaselineError(f"{ref!r} is not a git ref")
    result = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if result.returncode != 0:
        hint = f" (fetch it first, e.g. `git fetch {ref.split('/')[0]}`)" if "/" in ref else ""
        raise BaselineError(f"git ref {ref!r} does not exist in {root}{hint}")
    return result.stdout.decode().strip()


def _folder(path: Path, rel: Path) -> str:
    """The folder to export for one model path: a model package or folder itself, a file's folder."""
    folder = rel if path.is_dir() else rel.parent
    return folder.as_posix() or "."


def _export(root: Path, commit: str, ref: str, folders: list[str], target: Path) -> None:
    pathspecs = [] if "." in folders else folders
    result = _git(root, "archive", "--format=tar", commit, "--", *pathspecs)
    if result.returncode != 0:
        detail = result.stderr.decode(errors="replace").strip()
        raise BaselineError(f"the model folder(s) {', '.join(folders)} did not exist at {ref} ({detail})")
    with tarfile.open(fileobj=io.BytesIO(result.stdout), mode="r:") as archive:
        archive.extractall(target, filter="data")


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise BaselineError("git is not installed, so a git ref cannot be used as the baseline") from None


def _relocate(snapshot: ContractSnapshot, export: Path, root: Path) -> ContractSnapshot:
    """Point locations inside the temporary export at the same files in the work tree."""

    def move(location: SourceLocation | None) -> SourceLocation | None:
        if location is None:
            return None
        try:
            return SourceLocation(str(root / Path(location.file).resolve().relative_to(export)), location.line)
        except ValueError:
            return location

    return replace(
        snapshot,
        messages={k: replace(m, location=move(m.location)) for k, m in snapshot.messages.items()},
        channels={k: replace(c, location=move(c.location)) for k, c in snapshot.channels.items()},
    )
