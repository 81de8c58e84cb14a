"""Subcommands of `archkit`; add a command by adding its module to COMMANDS."""

from archkit.commands.check import check
from archkit.commands.diff import diff
from archkit.commands.init import init
from archkit.commands.lint import lint
from archkit.commands.lock import lock
from archkit.commands.render import render
from archkit.commands.watch import watch

COMMANDS = [check, diff, init, lint, lock, render, watch]
