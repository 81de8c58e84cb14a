"""Rules of sound messaging design (AK-D101..AK-D115); importing this package registers them all."""

from archkit.lint.rules import channels, consumers, documentation, events, reliability, sync  # noqa: F401  (registers)
from archkit.lint.rules.base import RULES, Hit, Rule, rule

__all__ = ["RULES", "Hit", "Rule", "rule"]
