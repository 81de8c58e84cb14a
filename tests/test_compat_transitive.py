"""_TRANSITIVE modes check against every schema in the lock history, not only the last one."""

from __future__ import annotations

from typing import Any

import pytest

from archkit.contracts.check import check_contracts
from archkit.contracts.lockfile import build_lock, dumps_lock, loads_lock
from archkit.contracts.snapshot import ContractSnapshot, MessageContract


def shop(schema: dict[str, Any]) -> ContractSnapshot:
    message = MessageContract(name="Paid", version=1, schema=schema, channels=["shop.paid.v1"], consumers=["Mailer"])
    return ContractSnapshot(name="Shop", messages={"Paid": message})


# v1 -> v2 drops an optional string, v2 -> v3 adds it back as an integer: each step is BACKWARD
# compatible, but a v3 reader fails on v1 data that still carries a string there.
V1 = {"type": "object", "properties": {"id": {"type": "string"}, "note": {"type": "string"}}, "required": ["id"]}
V2 = {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}
V3 = {"type": "object", "properties": {"id": {"type": "string"}, "note": {"type": "integer"}}, "required": ["id"]}


@pytest.fixture
def locked_history():
    """The lock file as it stands after v1, v2 and v3 were each locked in turn (read back from its text)."""
    lock = None
    for schema in (V1, V2, V3):
        lock = loads_lock(dumps_lock(build_lock([shop(schema)], lock)))
    return lock


def test_the_lock_remembers_all_three_schemas_in_order(locked_history):
    assert locked_history.schemas_of("Shop", "Paid") == [V1, V2, V3]


@pytest.mark.parametrize("mode", ["BACKWARD", "FULL"])
def test_each_step_passes_the_plain_mode(mode):
    assert check_contracts(shop(V2), shop(V1), mode=mode) == []
    assert check_contracts(shop(V3), shop(V2), mode=mode) == []


@pytest.mark.parametrize("mode", ["BACKWARD_TRANSITIVE", "FULL_TRANSITIVE"])
def test_only_the_transitive_mode_fails_against_the_first_version(locked_history, mode):
    baseline = shop(V2)  # the previous version: what a plain mode compares with
    history = {"Paid": locked_history.schemas_of("Shop", "Paid")[:-1]}  # v1, v2: what the lock held before v3
    assert check_contracts(shop(V3), baseline, mode=mode.removesuffix("_TRANSITIVE"), history=history) == []
    [finding] = check_contracts(shop(V3), baseline, mode=mode, history=history)
    assert (finding.rule, finding.path, finding.mode) == ("AK-C101", "$.properties.note", mode)
    assert (finding.old, finding.new) == ("string", "integer")
    assert "schema 1 of 2 in the lock history" in finding.message


def test_transitive_without_history_checks_the_baseline_alone():
    assert check_contracts(shop(V3), shop(V2), mode="BACKWARD_TRANSITIVE") == []
