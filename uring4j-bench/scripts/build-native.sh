#!/usr/bin/env bash
# Builds the suite's C programs into $NATIVE_DIR (default uring4j-bench/target/native) with
# native.sh: loadgen, pingpong, http_load and ws_load (the load tools), echo_uring, echo_epoll and
# http_uring (the C peers).
# A program that cannot be built leaves NAME.skip beside it with the reason; the orchestrator
# prints that reason when it skips the cells or servers needing it. Exits 0 either way.
set -uo pipefail
ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
# shellcheck source=native.sh
source "$ROOT/uring4j-bench/scripts/native.sh"
SRC="$ROOT/uring4j-bench/src/main/c"
mkdir -p "$NATIVE_DIR"

build() {
  local name="$1"; shift
  local why="$NATIVE_DIR/$name.skip"
  # build_c rebuilds when the .c is newer than the binary; the shared headers count too.
  local h
  for h in "$SRC"/*.h; do
    if [ -e "$NATIVE_DIR/$name" ] && [ "$h" -nt "$NATIVE_DIR/$name" ]; then rm -f "$NATIVE_DIR/$name"; fi
  done
  if build_c "$name" "$SRC/$name.c" "$@" >/dev/null 2>"$why"; then
    rm -f "$why"
  else
    cat "$why" >&2
  fi
}

build loadgen -lm
build pingpong -pthread
build echo_epoll
build echo_uring -luring
build http_uring -luring
build http_load -luring -lm
build ws_load -luring -lm

# The HTTP cells' tools come from Debian: wrk drives the load, nginx is a peer. Installed when
# missing and we can; otherwise NAME.skip says why, and the cells or the row are skipped.
http_tool() {
  local name="$1" pkg="$2" bin
  bin=$(command -v "$name" || true)
  [ -z "$bin" ] && [ -x "/usr/sbin/$name" ] && bin="/usr/sbin/$name"
  if [ -z "$bin" ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing $pkg for the HTTP cells" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg") >/dev/null 2>&1 || true
    bin=$(command -v "$name" || true)
    [ -z "$bin" ] && [ -x "/usr/sbin/$name" ] && bin="/usr/sbin/$name"
  fi
  if [ -n "$bin" ]; then
    ln -sf "$bin" "$NATIVE_DIR/$name" && rm -f "$NATIVE_DIR/$name.skip"
  else
    echo "$name is not installed and could not be (apt-get install $pkg as root)" >"$NATIVE_DIR/$name.skip"
    cat "$NATIVE_DIR/$name.skip" >&2
  fi
}
http_tool wrk wrk
http_tool nginx nginx
exit 0
