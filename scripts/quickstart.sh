#!/usr/bin/env bash
# Quick start on a fresh Debian/Ubuntu machine with Node >= 20: installs bubblewrap and the npm packages, then runs
# the nightly job end to end on the embedded database (crawl the bundled list, classify, export, build the site).
# Extra arguments go to `mcp-catalogue run` (e.g. --concurrency 2, or package specs).
set -euo pipefail
cd "$(dirname "$0")/.."
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v bwrap >/dev/null 2>&1 || ! command -v prlimit >/dev/null 2>&1; then
  echo "Installing bubblewrap (the sandbox every crawled package runs in)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap util-linux >/dev/null
fi
[ -d node_modules ] && [ node_modules -nt package-lock.json ] || npm install --no-audit --no-fund
exec node bin/mcp-catalogue.js run "$@"
