"""Real Mermaid: parse and render .mmd files with mermaid itself (mermaid-cli in Debian's headless Chromium)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHECKER = REPO / ".tools" / "mermaid" / "check.mjs"


def mermaid_errors(files: list[Path], out_dir: Path) -> list[str]:
    """Render every file in one browser; return 'file: error' for each file mermaid rejects."""
    node = shutil.which("node")
    assert node and CHECKER.is_file(), "mermaid-cli is not installed: run scripts/setup.sh --test"
    out_dir.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run([node, str(CHECKER), str(out_dir), *map(str, files)], capture_output=True, text=True,
                          timeout=300, cwd=CHECKER.parent)
    results = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    assert len(results) == len(files), f"mermaid check did not report every file:\n{proc.stdout}\n{proc.stderr}"
    return [f"{r['file']}: {r['error']}" for r in results if not r["ok"]]
