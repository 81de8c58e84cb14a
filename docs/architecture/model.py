"""archkit drawn by archkit: its stage packages and which stages each one imports.

    archkit render docs/architecture/model.py -o docs/architecture/out -f c4-plantuml,svg

tests/test_architecture.py checks that these `uses` are exactly the imports between archkit's packages
(read from the source with ast), so the picture in docs/architecture.md cannot drift from the code.
"""

from archkit import Workspace

ws = Workspace("archkit", description="archkit's own packages, lowest stage first")
developer = ws.person("Developer", "Describes an estate in Python; runs archkit in a terminal and in CI")
archkit = ws.system("archkit", "Architecture as code for event-driven systems")

STAGES = {
    "model": "The model API, validation, the resolved index, tracing, event fingerprints",
    "contracts": "Contract snapshots, compatibility modes, schema compatibility, findings, the lock file",
    "asyncapi": "Reading and writing AsyncAPI 3.0 documents",
    "views": "Format-free views computed from the model: C4, sequence, event map, AsyncAPI, impact",
    "formats": "One module per output format, each with its Format record; pictures (images/)",
    "engine": "Loading models, the caches and their session, parallel rendering, the pipeline",
    "lint": "Design rules, contract lint against lock, git or AsyncAPI baselines, report formats",
    "watch": "Re-render on save, the fast path, the live preview server",
    "importer": "archkit import: a model package's source from AsyncAPI documents",
    "cli": "The archkit command: one module per subcommand",
}
package = {name: archkit.container(f"{name}/", description, technology="Python package", id=name)
           for name, description in STAGES.items()}

#: Which stages each stage imports (errors.py, output.py and config.py, imported by all, left out).
IMPORTS = {
    "contracts": ["model"],
    "asyncapi": ["contracts", "model"],
    "views": ["asyncapi", "contracts", "model"],
    "formats": ["views", "asyncapi", "model"],
    "engine": ["formats", "model"],
    "lint": ["engine", "formats", "asyncapi", "contracts", "model"],
    "watch": ["engine", "formats", "views", "model"],
    "importer": ["asyncapi", "contracts", "model"],
    "cli": ["lint", "watch", "importer", "engine", "formats", "views", "asyncapi", "contracts", "model"],
}
for stage, imported in IMPORTS.items():
    for other in imported:
        package[stage].uses(package[other], "imports")
developer.uses(package["cli"], "Runs archkit check, render, lint, lock, diff, watch", technology="shell")
