"""anyOf/oneOf/allOf judged as Confluent Schema Registry judges them: by a matching of branch pairs.

Given which (old branch, new branch) pairs are compatible in one direction, `holds` says whether the
whole combination is; `matching` is the one-to-one pairing it needs (also used to show which branch
became which).
"""

from __future__ import annotations


def holds(old_kw: str | None, n_old: int, new_kw: str | None, n_new: int, ok: dict[tuple[int, int], bool]) -> bool:
    """Whether a reader on the new combination accepts everything the old one did, given which branch
    pairs are compatible (`ok[old, new]`). Schema Registry's rules: a combination keyword may only widen
    (to anyOf; one schema to oneOf; allOf of one to anything), an anyOf/oneOf may not lose branches nor an
    allOf gain them, and the compatible pairs must match up the smaller side one to one."""
    if old_kw is None or new_kw is None:  # one plain schema against a combination
        wide = new_kw in ("anyOf", "oneOf") if old_kw is None else old_kw == "allOf"
        return any(ok.values()) if wide else all(ok.values())
    if old_kw != new_kw and not (new_kw == "anyOf" or n_old == n_new == 1 or (n_old == 1 and new_kw == "oneOf")
                                 or (n_new == 1 and old_kw == "allOf")):
        return False
    if (n_old < n_new and new_kw == "allOf") or (n_old > n_new and old_kw != "allOf"):
        return False
    return len(matching(ok, n_old, n_new)) >= min(n_old, n_new)


def matching(ok: dict[tuple[int, int], bool], n_left: int, n_right: int) -> list[tuple[int, int]]:
    """A maximum matching of the `ok` pairs (augmenting paths; branch lists are short)."""
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in range(n_right):
            if ok.get((i, j)) and j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(n_left):
        augment(i, set())
    return sorted((i, j) for j, i in owner.items())
