#!/usr/bin/env bash
# nginx as the HTTP plaintext peer, held to the same rules as the other servers: one process (no
# master: its CPU time is the server's), one worker's worth of connections, access log off,
# GET / and /plaintext answer 200 text/plain "Hello, World!". Prints "listening on HOST:PORT"
# and serves until SIGTERM.
# With --tls-cert and --tls-key it serves HTTPS instead (TLS 1.3 and 1.2, nginx's defaults for
# sessions and tickets; --tls-ciphers limits the TLS 1.3 suites).
# With --static DIR it serves DIR's files under /static/ instead, configured as a distribution's
# default site is (sendfile and tcp_nopush on, no open-file cache), with gzip_static on so that a
# FILE.gz sibling answers a request that accepts gzip (with Vary: Accept-Encoding), and the same
# Content-Types as uring4j's StaticFiles for the sample's extensions. --open-file-cache adds nginx's
# cache of open descriptors and their stat (checked once a second), as a tuned site would have.
#   nginx_server.sh --port P [--tls-cert F --tls-key K [--tls-ciphers SUITES] | --static DIR [--open-file-cache]]
#   (port 0 = an ephemeral port)
set -euo pipefail
port=0 cert="" key="" ciphers="" static="" file_cache=""
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    --tls-cert) cert="$2"; shift 2 ;;
    --tls-key) key="$2"; shift 2 ;;
    --tls-ciphers) ciphers="$2"; shift 2 ;;
    --static) static="$2"; shift 2 ;;
    --open-file-cache) file_cache="open_file_cache max=1000 inactive=60s;
    open_file_cache_valid 1s;
    open_file_cache_errors on;"; shift ;;
    *) echo "nginx_server.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
nginx=$(command -v nginx || true)
[ -n "$nginx" ] || { [ -x /usr/sbin/nginx ] && nginx=/usr/sbin/nginx; }
[ -n "$nginx" ] || { echo "nginx is not installed (apt-get install nginx)" >&2; exit 1; }
if [ "$port" = 0 ]; then
  # nginx cannot be told to take an ephemeral port, so pick one ourselves, below the kernel's
  # ephemeral range: there only explicitly bound ports live, whereas a port inside it may be the
  # local end of some client's connection, which a probe cannot see and bind() refuses.
  read -r ephemeral_low _ </proc/sys/net/ipv4/ip_local_port_range || ephemeral_low=32768
  top=$((ephemeral_low - 1)); [ "$top" -gt 11000 ] || top=60999
  for p in $(shuf -i 10000-"$top" -n 200); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
  done
fi
dir=$(mktemp -d /tmp/uring4j-nginx.XXXXXX)
listen="listen 127.0.0.1:$port backlog=4096;"
if [ -n "$cert" ]; then
  listen="listen 127.0.0.1:$port ssl backlog=4096;
    ssl_certificate $cert;
    ssl_certificate_key $key;
    ssl_protocols TLSv1.3 TLSv1.2;"
  [ -n "$ciphers" ] && listen="$listen
    ssl_conf_command Ciphersuites $(echo "$ciphers" | tr ',' ':');"
fi
location='location / { default_type text/plain; return 200 "Hello, World!"; }'
if [ -n "$static" ]; then
  [ -d "$static" ] || { echo "nginx_server.sh: no directory $static" >&2; exit 2; }
  location="sendfile on;
    tcp_nopush on;
    $file_cache
    location /static/ {
      alias $(realpath "$static")/;
      gzip_static on;
      gzip_vary on;
      types { text/html html; text/css css; text/javascript js; image/svg+xml svg; image/png png; application/json json; }
      default_type application/octet-stream;
      charset utf-8;
      charset_types text/css text/javascript;
    }"
fi
cat >"$dir/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
pid $dir/nginx.pid;
error_log stderr warn;
events { worker_connections 8192; multi_accept on; }
http {
  access_log off;
  server_tokens off;
  keepalive_requests 100000000;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  server {
    $listen
    $location
  }
}
CONF
# nginx binds only once it has read its configuration, and the process measured must be nginx itself
# (exec): a watcher beside it says "listening" when the port accepts a connection, not before.
(
  for _ in $(seq 1 1000); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "listening on 127.0.0.1:$port"; exit 0; fi
    sleep 0.01
  done
  echo "nginx_server.sh: nginx did not accept on 127.0.0.1:$port within 10 s" >&2
) &
exec "$nginx" -e stderr -p "$dir" -c "$dir/nginx.conf"
