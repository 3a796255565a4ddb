# Sourced by the bench scripts: builds the benchmarks' C programs at bench time.
#
#   build_c NAME SOURCE.c [LIBS...]   compiles into $NATIVE_DIR/NAME (skipped when up to date) and
#                                      prints the binary's path; on failure prints why on stderr and
#                                      returns 1, so callers can skip their C cells with that message.
# Installs gcc and liburing-dev with apt-get when they are missing and we are root.

NATIVE_DIR="${NATIVE_DIR:-$ROOT/uring4j-bench/target/native}"

ensure_c_toolchain() {
  local missing=()
  command -v gcc >/dev/null 2>&1 || missing+=(gcc)
  [ -f /usr/include/liburing.h ] || missing+=(liburing-dev)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "C peers skipped: ${missing[*]} missing and cannot be installed here (needs root and apt-get)" >&2
    return 1
  fi
  echo "installing ${missing[*]} for the C peers" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/dev/null 2>&1 || {
    echo "C peers skipped: apt-get install ${missing[*]} failed" >&2
    return 1
  }
}

build_c() {
  local name="$1" src="$2"; shift 2
  local out="$NATIVE_DIR/$name"
  mkdir -p "$NATIVE_DIR"
  if [ -x "$out" ] && [ "$out" -nt "$src" ]; then echo "$out"; return 0; fi
  ensure_c_toolchain || return 1
  if ! gcc -O2 -g -Wall -o "$out" "$src" "$@" 2>"$out.log"; then
    echo "C peer $name skipped: compiling $src failed (see $out.log)" >&2
    return 1
  fi
  echo "$out"
}
