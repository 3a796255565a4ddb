#!/usr/bin/env bash
# The HTTP cells' load tool: wrk with one thread (the caller pins it to the load CPU), keeping
# --conns connections busy with --depth pipelined requests each, first for --warmup seconds
# (unmeasured), then for --duration seconds between the lines "measure-start" and "measure-end".
# Prints "result {...}" with the harness's keys (rt_per_s, round_trips, p50_us, p99_us, p999_us,
# mean_us, cpu_us_per_rt); exits 3 when any response was not 2xx/3xx, 4 on socket errors.
# --scheme https drives the load over TLS (wrk's OpenSSL; it does not check the certificate);
# --close 1 sends every request with "Connection: close", so each one opens a new connection.
#   http_load.sh --port P [--conns 64] [--depth 1] [--path /plaintext] [--warmup 1] [--duration 3]
#                [--scheme http|https] [--close 0|1]
set -euo pipefail
port="" conns=64 depth=1 path=/plaintext warmup=1 duration=3 scheme=http close=0
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="$2" ;; --conns) conns="$2" ;; --depth) depth="$2" ;; --path) path="$2" ;;
    --warmup) warmup="$2" ;; --duration) duration="$2" ;; --scheme) scheme="$2" ;; --close) close="$2" ;;
    *) echo "http_load.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift 2
done
[ -n "$port" ] || { echo "http_load.sh: --port is required" >&2; exit 2; }
command -v wrk >/dev/null 2>&1 || { echo "http_load.sh: wrk is not installed" >&2; exit 1; }
lua="$(dirname "$0")/wrk/report.lua"
url="$scheme://127.0.0.1:$port$path"
# wrk takes whole seconds.
secs() { awk -v s="$1" 'BEGIN { v = int(s + 0.999); print (v < 1 ? 1 : v) }'; }
# A server may print its line just before it binds (nginx): wait until it accepts.
for _ in $(seq 200); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  sleep 0.025
done
export WRK_DEPTH="$depth" WRK_CLOSE="$close"
wrk -t1 -c"$conns" -d"$(secs "$warmup")s" -s "$lua" "$url" >/dev/null
out=$(mktemp) times=$(mktemp)
trap 'rm -f "$out" "$times"' EXIT
echo measure-start
TIMEFORMAT='%U %S'
{ time wrk -t1 -c"$conns" -d"$(secs "$duration")s" -s "$lua" "$url" >"$out"; } 2>"$times"
echo measure-end
json=$(grep '^json ' "$out" | sed 's/^json //')
[ -n "$json" ] || { echo "http_load.sh: wrk printed no summary: $(head -c 300 "$out")" >&2; exit 1; }
read -r user sys <"$times"
awk -v j="$json" -v u="$user" -v s="$sys" -v c="$conns" -v d="$depth" 'BEGIN {
  n = split(substr(j, 2, length(j) - 2), kv, ",")
  for (i = 1; i <= n; i++) { split(kv[i], p, ":"); gsub(/"/, "", p[1]); v[p[1]] = p[2] }
  secs = v["duration_us"] / 1e6; rt = v["requests"]
  printf "result {\"tool\":\"wrk\",\"conns\":%d,\"depth\":%d,\"window_s\":%.6f,\"round_trips\":%d,\"rt_per_s\":%.1f,", c, d, secs, rt, rt / secs
  # wrk reports 0 for high percentiles it failed to compute (seen with pipelining): leave them out.
  printf "\"p50_us\":%s,", v["p50_us"]
  if (v["p99_us"] > 0 || v["p50_us"] == 0) printf "\"p99_us\":%s,", v["p99_us"]
  if (v["p999_us"] > 0 || v["p50_us"] == 0) printf "\"p999_us\":%s,", v["p999_us"]
  printf "\"mean_us\":%s,\"max_us\":%s,", v["mean_us"], v["max_us"]
  printf "\"cpu_user_s\":%s,\"cpu_sys_s\":%s,\"cpu_us_per_rt\":%.3f,\"non_2xx\":%d,\"socket_errors\":%d}\n", u, s, rt ? (u + s) * 1e6 / rt : 0, v["errors_status"], v["errors_connect"] + v["errors_read"] + v["errors_write"] + v["errors_timeout"]
}'
status=$(echo "$json" | grep -o '"errors_status":[0-9]*' | cut -d: -f2)
socket=$(echo "$json" | grep -o '"errors_\(connect\|read\|write\|timeout\)":[0-9]*' | cut -d: -f2 | awk '{ s += $1 } END { print s + 0 }')
if [ "$status" != 0 ]; then echo "http_load.sh: $status responses were not 2xx/3xx" >&2; exit 3; fi
if [ "$socket" != 0 ]; then echo "http_load.sh: $socket socket errors (connect/read/write/timeout)" >&2; exit 4; fi
