#!/usr/bin/env bash
# Quick start on a fresh Debian/Ubuntu machine with Node >= 20: installs bubblewrap and the npm packages, then runs
# the nightly job end to end on the embedded database: discovery over npm seeded with the bundled list of 70 real
# servers, crawl of every version not crawled before, classify, export, build the site. Extra arguments go to
# `mcp-catalogue run` after those (e.g. --concurrency 2, --max-servers 10).
set -euo pipefail
cd "$(dirname "$0")/.."
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v bwrap >/dev/null 2>&1 || ! command -v prlimit >/dev/null 2>&1; then
  echo "Installing bubblewrap (the sandbox every crawled package runs in)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap util-linux >/dev/null
fi
[ -d node_modules ] && [ node_modules -nt package-lock.json ] || npm install --no-audit --no-fund
exec node bin/mcp-catalogue.js run --source npm --names-file crawler/seeds/npm-servers.txt "$@"
