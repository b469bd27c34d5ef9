#!/usr/bin/env bash
# Open311 POST throughput next to the JSON API's, on the embedded server (waitress + SQLite) and,
# when DATABASE_URL points at an empty PostgreSQL database, on gunicorn (2 workers) + PostgreSQL.
# usage: bash bench/run_open311.sh [seconds-per-phase=10]
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-10}
PY=${PY:-.venv/bin/python}
BIN=$(dirname "$PY")
export LINLI_OPEN311_RATE_LIMIT=1000000 PYTHONPATH=$PWD
pids=()
cleanup() { for p in "${pids[@]:-}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
wait_up() { for _ in $(seq 1 60); do curl -s -o /dev/null "$1" && return 0; sleep 0.5; done; echo "not up: $1" >&2; return 1; }
echo "machine: $(nproc) cores, $(uptime)"

SQL_DIR=$(mktemp -d)
LINLI_DATA_DIR=$SQL_DIR $PY manage.py migrate -v 0
SETUP=$(LINLI_DATA_DIR=$SQL_DIR $PY bench/open311_bench.py setup)
LINLI_DATA_DIR=$SQL_DIR $PY manage.py serve --port 18093 >/dev/null 2>&1 &
pids+=($!)
wait_up http://127.0.0.1:18093/open311/v2/discovery.json
KEY=$(echo "$SETUP" | $PY -c 'import json,sys; print(json.load(sys.stdin)["key"])')
TOKEN=$(echo "$SETUP" | $PY -c 'import json,sys; print(json.load(sys.stdin)["token"])')
$PY bench/open311_bench.py run --url http://127.0.0.1:18093 --key "$KEY" --token "$TOKEN" --seconds "$SECS" \
  --label "embedded waitress + SQLite"

if [[ -n "${DATABASE_URL:-}" ]]; then
  $PY manage.py migrate -v 0
  SETUP=$($PY bench/open311_bench.py setup)
  $BIN/gunicorn -w 2 -b 127.0.0.1:18094 --log-level warning linli.wsgi &
  pids+=($!)
  wait_up http://127.0.0.1:18094/open311/v2/discovery.json
  KEY=$(echo "$SETUP" | $PY -c 'import json,sys; print(json.load(sys.stdin)["key"])')
  TOKEN=$(echo "$SETUP" | $PY -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  $PY bench/open311_bench.py run --url http://127.0.0.1:18094 --key "$KEY" --token "$TOKEN" --seconds "$SECS" \
    --label "gunicorn 2 workers + PostgreSQL"
fi
