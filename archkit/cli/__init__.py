"""The `archkit` command (`main`, in cli/app.py) and its subcommands: name -> "module:function", each
imported only when that command runs (or when `--help` lists them all). Add a command by adding its
module here."""

COMMANDS = {
    "check": "archkit.cli.check:check",
    "diff": "archkit.cli.diff:diff",
    "import": "archkit.cli.import_asyncapi:import_",
    "init": "archkit.cli.init:init",
    "lint": "archkit.cli.lint:lint",
    "lock": "archkit.cli.lock:lock",
    "render": "archkit.cli.render:render",
    "setup": "archkit.cli.setup:setup",
    "watch": "archkit.cli.watch:watch",
}

from archkit.cli.app import main  # noqa: E402  (after COMMANDS, which app reads): `archkit = "archkit.cli:main"`

__all__ = ["COMMANDS", "main"]
