#!/usr/bin/env bash
# Runs the whole suite on SQLite, again on SQLite at a Beijing night instant, then on PostgreSQL.
# The clock of every test is frozen (linli/conftest.py, LINLI_TEST_NOW): the first run at a daytime instant,
# the second at 23:50 on New Year's Eve and the PostgreSQL run at 00:30 on New Year's Day, Beijing time,
# when the UTC date is the day before: a calendar day taken from UTC fails one of them, at any hour CI runs.
# PostgreSQL: DATABASE_URL (or LINLI_PG_URL) if it points at one; otherwise a local
# PostgreSQL cluster is started when this machine has one (pg_ctlcluster, as root).
# LINLI_REQUIRE_POSTGRES=1 makes a skipped PostgreSQL run a failure (CI sets it).
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${VENV:-.venv}/bin
mkdir -p artifacts

echo "== lint (ruff check and format, import contracts, mypy, local calendar days, migrations) =="
$BIN/ruff check linli bench || exit 1
$BIN/ruff format --check linli bench >/dev/null || { $BIN/ruff format --check linli bench; exit 1; }
$BIN/python scripts/check_dates.py || exit 1
$BIN/lint-imports --no-cache >/dev/null || { $BIN/lint-imports --no-cache; exit 1; }
# mypy (django-stubs) on services, selectors and permissions; files and options in pyproject.toml
$BIN/mypy || exit 1

pg_url="${LINLI_PG_URL:-}"
if [[ -z "$pg_url" && "${DATABASE_URL:-}" == postgres* ]]; then pg_url="$DATABASE_URL"; fi
unset DATABASE_URL

echo "== tests on SQLite (${LINLI_TEST_NOW:-a Beijing daytime}) =="
$BIN/pytest -p no:cacheprovider "$@" || exit 1

echo "== tests on SQLite at 2026-12-31 23:50 Beijing time =="
# Tests of real processes (pytest.mark.live: Redis, Celery, gunicorn, restore) do not depend on the clock:
# the day run and the PostgreSQL run have them.
LINLI_TEST_NOW=2026-12-31T23:50:00+08:00 $BIN/pytest -p no:cacheprovider -m "not live" "$@" || exit 1

if [[ -z "$pg_url" ]]; then
  pg_url=$(bash scripts/start-postgres.sh 2>artifacts/postgres-start.log) || pg_url=""
fi
if [[ -z "$pg_url" ]]; then
  echo "!! PostgreSQL run SKIPPED: no DATABASE_URL and no local PostgreSQL could be started (see artifacts/postgres-start.log)"
  [[ "${LINLI_REQUIRE_POSTGRES:-0}" == "1" ]] && exit 1
  exit 0
fi

echo "== tests on PostgreSQL at 2027-01-01 00:30 Beijing time =="
LINLI_TEST_NOW=2027-01-01T00:30:00+08:00 DATABASE_URL="$pg_url" $BIN/pytest -p no:cacheprovider "$@" || exit 1
