#!/usr/bin/env bash
# TLS, uring4j beside Netty over the JDK's SSLEngine (dev.uring4j.bench.tls.TlsBench): bytes the
# server allocates per keep-alive HTTPS request (wrk over OpenSSL as the load), with requests/s
# and server CPU per request, for TLS 1.3 and 1.2; then the memory each of 10,000 idle TLS
# connections holds in the server (heap after a full GC, native memory by NMT, RSS). Servers:
# uring4j on io_uring and on its NIO fallback, Netty 4.2 epoll with SslProvider.JDK; each runs
# pinned to CPU 0 with the bench suite's JVM flags, the load pinned to CPU 1; 5 runs (3 for the
# idle cell) in a shuffled order, medians and min–max. Arguments go to TlsBench, e.g.
#
#   uring4j-bench/scripts/tls.sh [--runs 5] [--servers uring4j,uring4j-nio,netty-epoll,netty-nio]
#       [--protocols TLSv1.3,TLSv1.3:TLS_AES_128_GCM_SHA256,TLSv1.2] [--idle-connections 10000]
#       [--idle-states handshake,request] [--out DIR]
#
# Environment: ROOT and JAVA, as ./uring4j bench sets them. Builds nothing: ./uring4j build first.
# Raw results: target/bench/tls (allocation.tsv, idle.tsv and every server's, wrk's and client's log).
set -euo pipefail
ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
JAVA="${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}"
BENCH="$ROOT/uring4j-bench/target"
[ -f "$BENCH/uring4j-bench.jar" ] || { echo "tls.sh: $BENCH/uring4j-bench.jar is missing; run ./uring4j build" >&2; exit 1; }
for tool in wrk taskset; do
  command -v "$tool" >/dev/null 2>&1 || { echo "tls.sh: $tool is needed (apt-get install $tool)" >&2; exit 1; }
done
command -v openssl >/dev/null 2>&1 || echo "tls.sh: openssl is not installed: the negotiated suites will not be shown" >&2
# Each idle connection is a descriptor in the server and one in the client (both inherit this limit).
want=65536
if [ "$(ulimit -n)" -lt "$want" ]; then
  ulimit -n "$want" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
fi
# The orchestrator stays off the server's CPU.
exec taskset -c 1 "$JAVA" -cp "$BENCH/uring4j-bench.jar:$BENCH/lib/*" dev.uring4j.bench.tls.TlsBench --root "$ROOT" "$@"
