#!/usr/bin/env bash
# Run the whole test suite on a fresh machine: installs everything the tests need, then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
# One worker per core, at most four (each test may start a JVM or a browser): the suite is mostly waiting on
# PlantUML, mermaid and Chromium, so two workers on two cores take about 0.6x the time of one process.
exec .venv/bin/python -m pytest --numprocesses auto --maxprocesses 4 "$@"
