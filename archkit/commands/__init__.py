"""Subcommands of `archkit`: name -> "module:function", imported only when that command runs (or when
`--help` lists them all). Add a command by adding its module here."""

COMMANDS = {
    "check": "archkit.commands.check:check",
    "diff": "archkit.commands.diff:diff",
    "import": "archkit.commands.import_asyncapi:import_",
    "init": "archkit.commands.init:init",
    "lint": "archkit.commands.lint:lint",
    "lock": "archkit.commands.lock:lock",
    "render": "archkit.commands.render:render",
    "setup": "archkit.commands.setup:setup",
    "watch": "archkit.commands.watch:watch",
}
