#!/usr/bin/env bash
# The game example under load: ./uring4j game (server) pinned to CPU 0, ./uring4j game-client
# (N simulated players) pinned to CPU 1, and tick_noise (a C program that only sleeps to the same
# 60 Hz deadlines) beside the server on CPU 0, so the server's tick lateness can be read against
# the noise floor of that CPU in the same minute. Prints the server's 5-second reports and
# summary, the clients' figures and the noise floor.
#
#   uring4j-bench/scripts/game.sh [--clients 1000] [--seconds 30] [--batch-wait N:US] [--quiet-wait 600]
#
# Other tenants share the CPUs: the run first waits (up to --quiet-wait seconds) until both were
# under 10% busy for a second, and tick_noise shows what was left.
set -euo pipefail
ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
clients=1000 seconds=30 batch=() port="${GAME_PORT:-9100}" quiet_wait=600
while [ $# -gt 0 ]; do
  case "$1" in
    --clients) clients="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --quiet-wait) quiet_wait="$2"; shift 2 ;;
    --batch-wait) batch=(--batch-wait "$2"); shift 2 ;;
    *) echo "game.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
"$ROOT/uring4j" probe >/dev/null    # builds what is stale, before anything is pinned or timed
# shellcheck source=native.sh
source "$ROOT/uring4j-bench/scripts/native.sh"
noise=$(build_c tick_noise "$ROOT/uring4j-bench/src/main/c/tick_noise.c") || noise=""
# shellcheck source=quiet.sh
source "$ROOT/uring4j-bench/scripts/quiet.sh"
out="$(mktemp)"
trap 'kill -TERM "$server" 2>/dev/null || true; rm -f "$out"' EXIT

await_quiet "$quiet_wait"
echo "== game: $clients clients, ${seconds}s, server CPU 0, clients CPU 1"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); kernel $(uname -r); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "command: uring4j-bench/scripts/game.sh --clients $clients --seconds $seconds ${batch[*]}"
taskset -c 0 "$ROOT/uring4j" game --port "$port" "${batch[@]}" >"$out" 2>&1 &
server=$!
for _ in $(seq 1 120); do grep -q 'listening on' "$out" && break; sleep 0.5; done
grep -q 'listening on' "$out" || { cat "$out" >&2; echo "game.sh: the server did not start" >&2; exit 1; }
# The clients run warm-up (2 s) + seconds; the server's windows after its first cover the same span.
[ -n "$noise" ] && { taskset -c 0 "$noise" $((seconds + 2)) > "$out.noise" & }
taskset -c 1 "$ROOT/uring4j" game-client --port "$port" --clients "$clients" --seconds "$seconds"
sleep 1
kill -TERM "$server"
wait "$server" || true
wait
cat "$out"
[ -n "$noise" ] && cat "$out.noise" && rm -f "$out.noise"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
