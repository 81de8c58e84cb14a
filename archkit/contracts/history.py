"""A message's schema history from the lock file, each step judged as `archkit lint` judges a change.

The lock keeps every distinct schema a message has had (`lockfile.LockFile.history`, oldest first, the
current one last). Each step between two neighbours is compared with `check_contracts`, the function the
contract lint runs, on two one-message snapshots: the findings are the ones lint would report had the
model gone from the one schema to the other, under the same modes and schema rules. The differences
lint does not report (`payload_changes` the mode allows) are kept beside them, so a step that breaks
nobody still says what changed. Format-free data; the site's event pages show it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from archkit.contracts.check import check_contracts
from archkit.contracts.findings import Finding
from archkit.contracts.lockfile import LockFile, schema_hash
from archkit.contracts.modes import DEFAULT_MODE, ModeMap
from archkit.contracts.payload_compat import payload_changes
from archkit.contracts.schema_compat import Change
from archkit.contracts.snapshot import ContractSnapshot, MessageContract


@dataclass(frozen=True)
class SchemaStep:
    """One step of a message's locked history: from one schema to the next."""

    number: int  # 1 for the step from the first locked schema to the second
    old_hash: str
    new_hash: str
    findings: tuple[Finding, ...]  # what lint reports for this step (empty: compatible under the mode)
    allowed: tuple[Change, ...]  # the other differences: ones the mode allows (or annotations)

    @property
    def breaking(self) -> bool:
        return any(f.breaking for f in self.findings)


@dataclass(frozen=True)
class ContractFacts:
    """What lint knows about a render's events, for the site: lint's findings and each message's locked
    history (workspace name -> message key -> steps); `mode` is the default compatibility mode."""

    findings: tuple[Finding, ...] = ()
    history: Mapping[str, Mapping[str, tuple[SchemaStep, ...]]] = field(default_factory=dict)
    locked: bool = False  # a lock file was found
    mode: str = DEFAULT_MODE
    error: str = ""  # why lint could not run (a bad `[lint]` table, a baseline it cannot read): pages say so


def schema_steps(lock: LockFile, workspace: str, key: str, *, mode: str = DEFAULT_MODE, rules: str = "default",
                 modes_by: ModeMap | None = None, compat: str | None = None) -> tuple[SchemaStep, ...]:
    """Every step of message `key`'s locked history, judged by `check_contracts` with these settings."""
    snapshot = lock.snapshots.get(workspace)
    message = snapshot.messages.get(key) if snapshot else None
    if message is None:
        return ()
    schemas = lock.schemas_of(workspace, key)
    steps = []
    for number, (old, new) in enumerate(zip(schemas, schemas[1:]), start=1):
        findings = check_contracts(_alone(workspace, key, message, new), _alone(workspace, key, message, old),
                                   mode=mode, rules=rules, modes_by=modes_by, compat=compat)
        changes = payload_changes(old, new, message.schema_format, message.schema_format, rules=rules)
        allowed = [c for c in changes if not any(f.path == c.path and c.description in f.message for f in findings)]
        steps.append(SchemaStep(number, schema_hash(old), schema_hash(new), tuple(findings), tuple(allowed)))
    return tuple(steps)


def _alone(workspace: str, key: str, message: MessageContract, schema: object) -> ContractSnapshot:
    """A snapshot of one message with `schema`: only the payload differs between a step's two sides."""
    return ContractSnapshot(name=workspace, messages={key: replace(message, schema=schema)})
