#!/usr/bin/env bash
# Intake benchmark, all in one run on this machine: Linli on gunicorn + PostgreSQL, Linli's embedded
# server (waitress + scheduler) on SQLite, the reference peer baisitong2, and the physical limit: a bare
# Django view inserting one row (bench/bare) on the same gunicorn set-up and PostgreSQL.
# usage: bash bench/run_intake.sh [seconds-per-phase=20]
#        (WORKERS: gunicorn workers of both servers, default scripts/gunicorn.conf.py's 2 × cores + 1)
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-20}
WORKERS=${WORKERS:-$((2 * $(nproc) + 1))}
BIN=.venv/bin
OUT=${OUT:-artifacts/intake-$(date +%Y%m%d-%H%M%S).jsonl}
mkdir -p artifacts
pids=()
cleanup() { for p in "${pids[@]:-}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
wait_up() { for _ in $(seq 1 60); do curl -s -o /dev/null "$1" && return 0; sleep 0.5; done; echo "not up: $1" >&2; return 1; }

# Linli on PostgreSQL, fresh database
base_url=$(bash scripts/start-postgres.sh)
su postgres -c "dropdb --if-exists linli_intake" && su postgres -c "createdb -O linli linli_intake"
PG_URL="${base_url%/*}/linli_intake"
DATABASE_URL=$PG_URL $BIN/linli migrate -v 0
PG_TOKEN=$(DATABASE_URL=$PG_URL $BIN/python bench/intake_setup.py)
DATABASE_URL=$PG_URL $BIN/gunicorn -c scripts/gunicorn.conf.py -w "$WORKERS" -b 127.0.0.1:18090 --log-level warning linli.wsgi &
pids+=($!)

# The physical limit: the same gunicorn set-up, the same database, one INSERT per request
DATABASE_URL=$PG_URL DJANGO_SETTINGS_MODULE=bench.bare.settings $BIN/python -c \
  "import django; django.setup(); from bench.bare.urls import ensure_table; ensure_table()"
DATABASE_URL=$PG_URL $BIN/gunicorn -c scripts/gunicorn.conf.py -w "$WORKERS" -b 127.0.0.1:18092 --log-level warning bench.bare.wsgi &
pids+=($!)

# Linli embedded: SQLite + waitress + scheduler, fresh data dir
SQL_DIR=$(mktemp -d)
LINLI_DATA_DIR=$SQL_DIR $BIN/linli migrate -v 0
SQL_TOKEN=$(LINLI_DATA_DIR=$SQL_DIR $BIN/python bench/intake_setup.py)
LINLI_DATA_DIR=$SQL_DIR $BIN/linli serve --port 18091 >/dev/null &
pids+=($!)

# The reference peer, fresh database (its cost grows with the day's appeals)
if [[ ! -x /tmp/b2/bin/baisitong2 ]]; then
  python3 -m venv /tmp/b2 && /tmp/b2/bin/pip install -q baisitong2==1.0.2 httpx
fi
rm -rf /tmp/b2run && mkdir -p /tmp/b2run
env -u LLM_API_KEY -u LLM_BASE_URL -u LLM_MODEL /tmp/b2/bin/baisitong2 --host 127.0.0.1 --port 18081 \
  --db sqlite:////tmp/b2run/b2.db >/tmp/b2run/log 2>&1 &
pids+=($!)

wait_up http://127.0.0.1:18090/admin/login/
wait_up http://127.0.0.1:18092/bare/demands
wait_up http://127.0.0.1:18091/admin/login/
wait_up http://127.0.0.1:18081/api/health

echo "machine: $(nproc) cores, $(uptime)" | tee "$OUT.txt"
$BIN/python bench/intake_bench.py --target peer --url http://127.0.0.1:18081 --seconds "$SECS" --label "peer baisitong2" | tee -a "$OUT"
$BIN/python bench/intake_bench.py --target bare --url http://127.0.0.1:18092 --seconds "$SECS" --label "bare django gunicorn-${WORKERS}w postgresql" | tee -a "$OUT"
$BIN/python bench/intake_bench.py --target linli --url http://127.0.0.1:18090 --seconds "$SECS" --token "$PG_TOKEN" --label "linli gunicorn-${WORKERS}w postgresql" | tee -a "$OUT"
$BIN/python bench/intake_bench.py --target linli --url http://127.0.0.1:18091 --seconds "$SECS" --token "$SQL_TOKEN" --label "linli embedded sqlite" | tee -a "$OUT"
$BIN/python - "$OUT" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
peer = {r["clients"]: r["rps"] for r in rows if r["target"] == "peer"}
bare = {r["clients"]: r["rps"] for r in rows if r["target"] == "bare"}
for r in rows:
    line = f'{r["label"]:34s} clients={r["clients"]}  {r["rps"]:7.1f} req/s  p50={r["p50_ms"]} ms  p99={r["p99_ms"]} ms  errors={r["errors"]}'
    if r["target"] == "linli" and peer.get(r["clients"]):
        line += f'  x peer={r["rps"] / peer[r["clients"]]:.1f}'
    if r["target"] == "linli" and "gunicorn" in r["label"] and bare.get(r["clients"]):
        line += f'  share of bare={r["rps"] / bare[r["clients"]]:.0%}'
    print(line)
PY
