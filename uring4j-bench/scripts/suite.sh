#!/usr/bin/env bash
# ./uring4j bench: uring4j's echo server beside its peers (Netty io_uring/epoll/NIO, JDK NIO, C
# liburing and epoll). ./uring4j sets ROOT and JAVA after building; every argument goes to
# dev.uring4j.bench.Bench (./uring4j bench --help lists them). Results: a markdown table on stdout,
# target/bench/results.json, results.md and PNG charts.
set -euo pipefail
: "${ROOT:?ROOT must point at the repository}" "${JAVA:?JAVA must point at a JDK 22+ java}"
BENCH="$ROOT/uring4j-bench"

if ! command -v taskset >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing util-linux for taskset" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq util-linux) >/dev/null 2>&1 || true
  fi
  command -v taskset >/dev/null 2>&1 || { echo "bench: taskset (util-linux) is needed to pin server and load to CPUs" >&2; exit 1; }
fi
if [ "$(nproc --all)" -lt 2 ]; then
  echo "bench: needs 2 CPUs (server on one, load on the other); this machine has $(nproc --all)" >&2
  exit 1
fi

ROOT="$ROOT" "$BENCH/scripts/build-native.sh"

# The orchestrator runs on the load CPU, so the server CPU holds nothing but the server measured.
load_cpu=1
args=("$@")
for ((i = 0; i + 1 < ${#args[@]}; i++)); do
  [ "${args[i]}" = --load-cpu ] && load_cpu="${args[i+1]}"
done
exec taskset -c "$load_cpu" "$JAVA" -Xmx256m -Djava.awt.headless=true -During4j.root="$ROOT" \
  -cp "$BENCH/target/uring4j-bench.jar:$BENCH/target/lib/*" dev.uring4j.bench.Bench "$@"
