#!/usr/bin/env bash
# Several app servers behind a load balancer on this machine: two gunicorn servers (ports APP_PORTS) over
# one database (DATABASE_URL, PostgreSQL) and one data directory (LINLI_DATA_DIR: uploads, secret key),
# behind Debian's nginx on loopback (PORT), round robin. With REDIS_URL unset and redis-server installed,
# a Redis is started too (cache and rate limits; set LINLI_MULTI_REDIS=0 to keep the database cache).
# nginx adds X-Upstream (which server answered) and sends X-Request-ID to the servers.
#
#   DATABASE_URL=postgres://linli:linli@127.0.0.1:5432/linli bash scripts/multi_server.sh
#   -> prints "ready http://127.0.0.1:8080/" and serves until Ctrl+C / SIGTERM (then stops everything).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL (PostgreSQL) for the shared database}"
PORT=${PORT:-8080}
APP_PORTS=${APP_PORTS:-"8081 8082"}
WORKERS=${WORKERS:-2}
PYTHON=${PYTHON:-$( [[ -x .venv/bin/python ]] && echo .venv/bin/python || echo python3 )}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
export LINLI_DATA_DIR=${LINLI_DATA_DIR:-$PWD/var}
export DJANGO_SETTINGS_MODULE=linli.settings PYTHONPATH=${PYTHONPATH:-$PWD}
RUN=${RUN_DIR:-$(mktemp -d /tmp/linli-multi.XXXXXX)}
mkdir -p "$RUN" "$LINLI_DATA_DIR"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 0' INT TERM

if [[ -z "${REDIS_URL:-}" && "${LINLI_MULTI_REDIS:-1}" == 1 ]] && command -v redis-server >/dev/null; then
  rport=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  redis-server --port "$rport" --bind 127.0.0.1 --save '' --appendonly no --dir "$RUN" >"$RUN/redis.log" 2>&1 &
  pids+=($!)
  export REDIS_URL="redis://127.0.0.1:$rport/0"
  for _ in $(seq 1 50); do redis-cli -p "$rport" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

"$PYTHON" manage.py migrate --noinput -v 0

upstreams=""
for p in $APP_PORTS; do
  mkdir -p "$RUN/metrics-$p" && rm -f "$RUN/metrics-$p"/*.db
  PROMETHEUS_MULTIPROC_DIR="$RUN/metrics-$p" "$PYTHON" -m gunicorn linli.wsgi:application \
    -c scripts/gunicorn.conf.py -b "127.0.0.1:$p" -w "$WORKERS" --timeout 60 --graceful-timeout 5 \
    >"$RUN/app-$p.log" 2>&1 &
  pids+=($!)
  upstreams+="    server 127.0.0.1:$p max_fails=0;"$'\n'
done

mkdir -p "$RUN/nginx-tmp"
cat >"$RUN/nginx.conf" <<CONF
$( [[ $(id -u) -eq 0 ]] && echo "user root;" )
worker_processes 1;
daemon off;
pid $RUN/nginx.pid;
error_log $RUN/nginx-error.log warn;
events { worker_connections 512; }
http {
  access_log $RUN/nginx-access.log;
  client_body_temp_path $RUN/nginx-tmp/body;
  proxy_temp_path $RUN/nginx-tmp/proxy;
  fastcgi_temp_path $RUN/nginx-tmp/fastcgi;
  uwsgi_temp_path $RUN/nginx-tmp/uwsgi;
  scgi_temp_path $RUN/nginx-tmp/scgi;
  client_max_body_size 10m;
  upstream linli {
$upstreams  }
  server {
    listen 127.0.0.1:$PORT;
    location / {
      proxy_pass http://linli;
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Request-ID \$request_id;
      add_header X-Upstream \$upstream_addr always;
    }
  }
}
CONF
"$NGINX" -c "$RUN/nginx.conf" -p "$RUN" -e "$RUN/nginx-error.log" &
pids+=($!)

for _ in $(seq 1 150); do
  up=0
  for p in $APP_PORTS; do curl -fs "http://127.0.0.1:$p/healthz" >/dev/null 2>&1 && up=$((up + 1)); done
  n=$(wc -w <<<"$APP_PORTS")
  if ((up == n)) && curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then
    echo "ready http://127.0.0.1:$PORT/ (servers: $APP_PORTS; run dir $RUN; redis ${REDIS_URL:-none})"
    wait -n "${pids[@]}" || true
    echo "a process stopped; see $RUN" >&2
    exit 1
  fi
  sleep 0.2
done
echo "servers did not come up; see $RUN" >&2
exit 1
