#!/usr/bin/env bash
# ./uring4j bench: uring4j's echo and HTTP servers beside their peers (Netty io_uring/epoll/NIO,
# JDK NIO, C liburing and epoll, nginx), then the UDP cell (uring4j beside Netty io_uring/epoll
# datagram channels, a JDK DatagramChannel server and a C recvmmsg server; udp.sh). ./uring4j sets
# ROOT and JAVA after building; every argument but --no-udp goes to dev.uring4j.bench.Bench
# (./uring4j bench --help lists them). Results: markdown tables on stdout, target/bench/results.json,
# results.md and PNG charts, target/bench/udp/results.tsv. --quick skips the UDP cell.
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
udp=1
args=()
for a in "$@"; do
  case "$a" in
    --no-udp) udp=0 ;;
    --quick|--help|-h|--list) udp=0; args+=("$a") ;;
    *) args+=("$a") ;;
  esac
done
for ((i = 0; i + 1 < ${#args[@]}; i++)); do
  [ "${args[i]}" = --load-cpu ] && load_cpu="${args[i+1]}"
  [ "${args[i]}" = --cells ] && udp=0
done
taskset -c "$load_cpu" "$JAVA" -Xmx256m -Djava.awt.headless=true -During4j.root="$ROOT" \
  -cp "$BENCH/target/uring4j-bench.jar:$BENCH/target/lib/*" dev.uring4j.bench.Bench "${args[@]}"
if [ "$udp" = 1 ]; then
  echo
  # Two rounds of 5 s per server, repeating only runs disturbed by more than 3 %, keep the whole
  # run within 15 minutes; udp.sh alone takes longer by default.
  "$BENCH/scripts/udp.sh" --rounds 2 --warmup 2 --seconds 5 --max-wait 3 --attempts 2 --quiet-wait 30
else
  echo
  echo "(UDP cell not run: it runs in the full ./uring4j bench, or alone: uring4j-bench/scripts/udp.sh)"
fi
