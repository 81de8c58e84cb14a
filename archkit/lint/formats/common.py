"""What every report format reads: the findings, the rules checked, paths relative to the repository root."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from archkit.contracts.findings import Finding
from archkit.lint.catalogue import RuleDoc


@dataclass(frozen=True)
class Report:
    findings: list[Finding]
    rules: list[RuleDoc]  # every rule that was checked, sorted by id
    root: Path
    ignored: int = 0  # findings hidden by reasoned ignores
    color: bool = False
    _relpaths: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    def relpath(self, finding: Finding) -> str | None:
        """The finding's file relative to the root, POSIX style ('../x.py' when outside it); None without a location.

        A relative location is taken from the working directory (how the loader shows model paths).
        Worked out once per file: thousands of findings share a few model files.
        """
        if finding.location is None:
            return None
        known = self._relpaths.get(finding.location.file)
        if known is None:
            known = self._relpaths[finding.location.file] = self._relative(finding.location.file)
        return known

    def _relative(self, name: str) -> str:
        file = Path(name)
        if not file.is_absolute():  # model locations are shown relative to the working directory
            file = Path.cwd() / file
        try:
            return Path(os.path.relpath(file.resolve(), self.root.resolve())).as_posix()
        except ValueError:  # another drive on Windows
            return file.as_posix()

    def line(self, finding: Finding) -> int | None:
        """The finding's 1-based line; None without one (line 0: a document line the reader could not tell)."""
        return finding.location.line if finding.location and finding.location.line > 0 else None

    def where(self, finding: Finding) -> str:
        """`file:line`, or `file`, or `-` without a location."""
        file, line = self.relpath(finding), self.line(finding)
        return f"{file}:{line}" if file and line else file or "-"

    def summary(self) -> dict[str, int]:
        count = {s: sum(1 for f in self.findings if f.severity == s) for s in ("error", "warning", "info")}
        return {
            "errors": count["error"], "warnings": count["warning"], "infos": count["info"],
            "breaking": sum(1 for f in self.findings if f.breaking), "total": len(self.findings),
            "ignored": self.ignored, "rules_checked": len(self.rules),
        }

    def by_rule(self) -> dict[str, list[Finding]]:
        grouped: dict[str, list[Finding]] = {r.id: [] for r in self.rules}
        for finding in self.findings:
            grouped.setdefault(finding.rule, []).append(finding)
        return grouped


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
