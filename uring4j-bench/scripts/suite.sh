#!/usr/bin/env bash
# ./uring4j bench: uring4j's echo and HTTP servers beside their peers (Netty io_uring/epoll/NIO,
# JDK NIO, C liburing and epoll, nginx), then the UDP cell (uring4j beside Netty io_uring/epoll
# datagram channels, a JDK DatagramChannel server and a C recvmmsg server; udp.sh). ./uring4j sets
# ROOT and JAVA after building; every argument but --no-udp goes to dev.uring4j.bench.Bench
# (./uring4j bench --help lists them). Results: markdown tables on stdout (summary first),
# target/bench/results.json, results.md, runs.jsonl (every run with its commands) and PNG charts,
# target/bench/udp/results.tsv. --quick skips the UDP cell; --only (or --cells) runs only the
# cells named, "udp" among them for the UDP cell. One seed orders the servers of both parts.
# The default run takes about 18 minutes: the matrix with 5 runs per cell and server, then the
# UDP cell with 5 rounds.
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
udp=1 matrix=1 seed="" runs=5
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-udp) udp=0 ;;
    --quick|--help|-h|--list) udp=0; args+=("$1") ;;
    --only|--cells)
      # "udp" is the UDP cell, run by udp.sh; the other ids go to the matrix.
      udp=0 cells=()
      IFS=, read -r -a ids <<< "${2:-}"
      for id in "${ids[@]}"; do
        if [ "$id" = udp ]; then udp=1; else cells+=("$id"); fi
      done
      if [ ${#cells[@]} -eq 0 ]; then matrix=0; else args+=(--only "$(IFS=,; echo "${cells[*]}")"); fi
      shift ;;
    --seed) seed="${2:-}"; shift ;;
    --runs) runs="${2:-}"; args+=("$1" "${2:-}"); shift ;;
    --load-cpu) load_cpu="${2:-}"; args+=("$1" "${2:-}"); shift ;;
    *) args+=("$1") ;;
  esac
  shift
done
seed="${seed:-$((RANDOM * 32768 + RANDOM))}"
if [ "$matrix" = 1 ]; then
  taskset -c "$load_cpu" "$JAVA" -Xmx256m -Djava.awt.headless=true -During4j.root="$ROOT" \
    -cp "$BENCH/target/uring4j-bench.jar:$BENCH/target/lib/*" dev.uring4j.bench.Bench --seed "$seed" "${args[@]}"
fi
if [ "$udp" = 1 ]; then
  echo
  # As many rounds as the matrix has runs, 1 s warm-up + 2 s measured per server, one attempt
  # each after waiting at most 2 s for quiet CPUs (the table shows how long each run waited for a
  # CPU): at most three and a half minutes, so the whole default run stays under 20. udp.sh alone
  # measures longer and repeats disturbed runs.
  "$BENCH/scripts/udp.sh" --rounds "$runs" --warmup 1 --seconds 2 --max-wait 3 --attempts 1 --quiet-wait 2 --seed "$seed"
else
  echo
  echo "(UDP cell not run: it runs in the full ./uring4j bench, or alone: uring4j-bench/scripts/udp.sh)"
fi
