#!/usr/bin/env bash
# The browser libraries of the `site` format (pan/zoom, search), from npm at the versions pinned by
# site-assets/package-lock.json, copied with their licences into archkit/formats/site_assets/ (package
# data, shipped in the wheel; not committed). Safe to run again: it skips when the copy is current.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=archkit/formats/site_assets
if cmp -s site-assets/package-lock.json "$dest/package-lock.json" 2>/dev/null; then exit 0; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp site-assets/package.json site-assets/package-lock.json "$work/"
(cd "$work" && npm ci --silent --no-audit --no-fund >/dev/null)
mkdir -p "$dest"
cp "$work/node_modules/svg-pan-zoom/dist/svg-pan-zoom.min.js" "$dest/svg-pan-zoom.min.js"
cp "$work/node_modules/svg-pan-zoom/LICENSE" "$dest/svg-pan-zoom.LICENSE"
cp "$work/node_modules/minisearch/dist/umd/index.js" "$dest/minisearch.js"
cp "$work/node_modules/minisearch/LICENSE.txt" "$dest/minisearch.LICENSE" 2>/dev/null \
  || cp "$work/node_modules/minisearch/LICENSE" "$dest/minisearch.LICENSE"
cp site-assets/package-lock.json "$dest/package-lock.json"
printf '[setup] site assets vendored into %s\n' "$dest"
