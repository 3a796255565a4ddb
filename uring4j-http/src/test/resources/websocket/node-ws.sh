#!/bin/sh
# Makes Node's `ws` package available to the interoperability tests: installed once with npm into
# a cache outside the repository, and reused. Prints the node_modules directory on success; on
# failure says what is missing on stderr and exits non-zero (the tests then skip, naming it).
set -e
command -v node >/dev/null 2>&1 || { echo "node is not installed" >&2; exit 2; }
cache="${URING4J_NODE_CACHE:-$HOME/.cache/uring4j/node}"
if [ ! -f "$cache/node_modules/ws/package.json" ]; then
  command -v npm >/dev/null 2>&1 || { echo "npm is not installed (needed once to fetch the ws package)" >&2; exit 2; }
  mkdir -p "$cache"
  npm install --silent --no-audit --no-fund --prefix "$cache" ws@8 >&2 || { echo "npm install ws@8 failed" >&2; exit 3; }
fi
echo "$cache/node_modules"
