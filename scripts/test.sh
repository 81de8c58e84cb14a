#!/usr/bin/env bash
# Run the whole test suite on a fresh machine: installs everything the tests need, then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
exec .venv/bin/python -m pytest "$@"
