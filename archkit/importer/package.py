"""Writing an imported model package: `__init__.py` (the model) and `payloads.py` (the payload classes).

Everything is made in memory first; then both files are written through `archkit.output`, so a failed
import writes nothing and a repeated one leaves unchanged files untouched.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from archkit.asyncapi.external_refs import refs_root
from archkit.asyncapi.reader import read_asyncapi
from archkit.importer.model_source import ImportedModel, model_source
from archkit.importer.payloads import payload_module
from archkit.output import OutputFile, write_some


def import_asyncapi(documents: list[Path], out_dir: Path, name: str | None, *roots: Path | None) -> ImportedModel:
    """Read `documents` (`$ref`s bounded by the first of `roots` holding each), write the package to
    `out_dir`; returns the model with the notes of what it could not express."""
    snapshots = [(path.name, read_asyncapi(path.resolve(), refs_root(path, *roots))) for path in documents]
    workspace = name or (snapshots[0][1].name if len(snapshots) == 1 else out_dir.resolve().name)
    model = model_source(workspace, snapshots)
    files = [OutputFile.text("__init__.py", _formatted(model.source))]
    if model.payloads:
        files.append(OutputFile.text("payloads.py", payload_module(model.payloads)))
    write_some(out_dir, files)
    return model


def _formatted(source: str) -> str:
    """The source as `ruff format` writes it (long channel declarations wrapped), when ruff is installed."""
    try:
        from ruff.__main__ import find_ruff_bin
    except ImportError:
        return source
    done = subprocess.run([find_ruff_bin(), "format", "--line-length", "120", "-"], input=source,
                          capture_output=True, text=True, check=False)
    return done.stdout if done.returncode == 0 else source
