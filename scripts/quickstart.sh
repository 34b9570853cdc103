#!/usr/bin/env bash
# Quick start on a fresh Debian/Ubuntu machine with Node >= 20: installs bubblewrap, Chromium (for the browser tests of
# `npm run check`) and the npm packages, then runs the nightly job end to end on the embedded database: discovery over
# npm seeded with the bundled list of 70 real servers, crawl of every version not crawled before, classify, export,
# build the site. Extra arguments go to `mcp-catalogue run` after those (e.g. --concurrency 2, --max-servers 10).
set -euo pipefail
cd "$(dirname "$0")/.."
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
need_apt=()
command -v bwrap >/dev/null 2>&1 || need_apt+=(bubblewrap)
command -v prlimit >/dev/null 2>&1 || need_apt+=(util-linux)
# For `npm run check`: the browser tests drive Chromium (CHROMIUM_PATH, else Debian's /usr/bin/chromium).
[ -n "${CHROMIUM_PATH:-}" ] || [ -x /usr/bin/chromium ] || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "Installing ${need_apt[*]} (bubblewrap: the sandbox every crawled package runs in; chromium: the browser tests)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
[ -d node_modules ] && [ node_modules -nt package-lock.json ] || npm install --no-audit --no-fund
exec node bin/mcp-catalogue.js run --source npm --names-file crawler/seeds/npm-servers.txt "$@"
