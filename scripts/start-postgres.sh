#!/usr/bin/env bash
# Start the machine's PostgreSQL cluster (Debian's pg_ctlcluster) and make sure the
# role and database `linli` exist. Prints the DATABASE_URL on success.
set -euo pipefail
command -v pg_lsclusters >/dev/null || { echo "no PostgreSQL server installed" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || { echo "need root to start the cluster" >&2; exit 1; }
read -r ver name port status _ < <(pg_lsclusters --no-header | head -n 1) || { echo "no cluster" >&2; exit 1; }
if [[ "$status" != online* ]]; then pg_ctlcluster "$ver" "$name" start >&2; fi
for _ in $(seq 1 30); do
  su postgres -c "pg_isready -q -p $port" && break
  sleep 1
done
su postgres -c "psql -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname='linli'\"" | grep -q 1 ||
  su postgres -c "psql -p $port -c \"CREATE ROLE linli LOGIN SUPERUSER PASSWORD 'linli'\"" >&2
su postgres -c "psql -p $port -tAc \"SELECT 1 FROM pg_database WHERE datname='linli'\"" | grep -q 1 ||
  su postgres -c "createdb -p $port -O linli linli" >&2
echo "postgres://linli:linli@127.0.0.1:${port}/linli"
