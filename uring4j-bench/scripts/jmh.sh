#!/usr/bin/env bash
# ./uring4j bench jmh [--rounds N] [--cells REGEX] [JMH options]
#
# The binding's JMH micro-benchmarks (dev.uring4j.bench.jmh) beside nop_bench.c, a liburing
# program doing the same work, cell by cell and alternating, then one table of medians against
# the foundation issue's goals. Everything runs pinned to one CPU (BENCH_CPU, default 0), so the
# Java and the C side compete with the same neighbours; a default run takes about 5 minutes.
# Other developers share this machine: rerun when the load average printed at the start and the
# end is high, and read the per-round range column as the noise.
#
# Environment: ROOT and JAVA are set by ./uring4j; BENCH_CPU picks the CPU.
set -euo pipefail

ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
JAVA="${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}"
CPU="${BENCH_CPU:-0}"
BENCH="$ROOT/uring4j-bench/target"
java_version=$("$JAVA" -version 2>&1 | awk -F'"' '/version "/ {print $2; exit}')
[ "${java_version%%[.+-]*}" -ge 22 ] 2>/dev/null \
  || { echo "jmh: $JAVA is Java '${java_version:-?}', the binding needs 22+ (FFM); run ./uring4j bench jmh, which finds one" >&2; exit 1; }
[ -f "$BENCH/uring4j-bench.jar" ] || { echo "jmh: $BENCH/uring4j-bench.jar is missing; build first (./uring4j build)" >&2; exit 1; }

# shellcheck source=native.sh
source "$ROOT/uring4j-bench/scripts/native.sh"
why="$(mktemp)"
trap 'rm -f "$why"' EXIT
if C_BIN=$(build_c nop_bench "$ROOT/uring4j-bench/src/main/c/nop_bench.c" -luring 2>"$why"); then
  C_ARGS=(--c "$C_BIN")
else
  cat "$why" >&2
  C_ARGS=(--no-c "$(tr '\n' ' ' <"$why")")
fi

PIN=()
if command -v taskset >/dev/null 2>&1; then
  PIN=(taskset -c "$CPU")
  pinning="pinned to CPU $CPU (taskset), Java and C alike"
else
  pinning="NOT pinned: taskset is missing (apt-get install util-linux)"
fi

echo "== binding micro-benchmarks: uring4j-ring vs liburing"
echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "kernel:  $(uname -r)"
echo "JDK:     $("$JAVA" -version 2>&1 | head -1)"
echo "CPU:     $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1), $(nproc) online; $pinning"
echo "liburing: $(dpkg-query -W -f '${Version}' liburing-dev 2>/dev/null || echo unknown)"
echo "command: ./uring4j bench jmh $*"

JAVA_OPTS=(--enable-native-access=ALL-UNNAMED)
# JDK 23+ warns about sun.misc.Unsafe, which JMH uses (JEP 471).
"$JAVA" --sun-misc-unsafe-memory-access=allow -version >/dev/null 2>&1 && JAVA_OPTS+=(--sun-misc-unsafe-memory-access=allow)

exec "${PIN[@]}" "$JAVA" "${JAVA_OPTS[@]}" \
  -cp "$BENCH/uring4j-bench.jar:$BENCH/lib/*" dev.uring4j.bench.jmh.BindingVsLiburing "${C_ARGS[@]}" "$@"
