"""Rules of sound messaging design (AK-D101..AK-D117); importing this package registers them all."""

from archkit.lint.rules import channels, consumers, deployment, documentation, events, reliability, sync  # noqa: F401  (registers)
from archkit.lint.rules.base import RULES, Hit, Rule, rule

__all__ = ["RULES", "Hit", "Rule", "rule"]
