"""Faults as a script: clients keep registering demands while a gunicorn worker is killed and PostgreSQL
restarts; afterwards nothing acknowledged is lost, nothing is doubled, nothing is half-written.

usage: python bench/faults.py [--clients 8] [--seconds 90] [--workers 2] [--kill-at 0.3] [--restart-at 0.55]
                              [--pg-port PORT] [--keep]

It needs root (the cluster runs as the ``postgres`` user) and Debian's PostgreSQL binaries. It starts its
OWN PostgreSQL cluster (initdb in a temporary directory, on a free port or ``--pg-port``), never the
machine's shared one, then one gunicorn server (``--workers``) over it. Each client registers demands
through ``POST /api/v1/demands`` with an Idempotency-Key and retries a failed request (connection error,
503, any 5xx) with the same key until it is acknowledged (201). At ``--kill-at`` (a fraction of the run)
one gunicorn worker is killed with SIGKILL; at ``--restart-at`` PostgreSQL is restarted (``pg_ctl restart
-m fast``). Then the database is checked. One JSON line:

  acknowledged   demands answered 201
  present        of those, found in the database by their code
  lost           acknowledged but not present                         (target 0)
  duplicated     texts registered more than once                      (target 0)
  no_event       demands without their "registered" event              (target 0)
  status_503     answers 503 (expected while PostgreSQL is down)
  status_503_outside_outage   503 before the restart or more than 10 s after it   (target 0)
  other_5xx      answers 5xx other than 503                           (target 0)
  conn_errors    requests that got no answer (the killed worker's)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
_DEBIAN_PG = sorted(
    Path("/usr/lib/postgresql").glob("*/bin"),
    key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
)
PG_BIN = Path(os.environ.get("PG_BIN") or (_DEBIAN_PG[-1] if _DEBIAN_PG else "/usr/lib/postgresql/15/bin"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(args: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["runuser", "-u", "postgres", "--", *args], check=True, capture_output=True, text=True, **kw
    )


class Cluster:
    """A throw-away PostgreSQL cluster: initdb, start, restart, stop."""

    def __init__(self, port: int):
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="linli-faults-pg-"))
        shutil.chown(self.dir, "postgres", "postgres")
        self.data = self.dir / "data"
        self.url = f"postgres://linli:linli@127.0.0.1:{port}/linli"

    def pg_ctl(self, *args: str) -> None:
        as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "log"), "-w", *args])

    def start(self) -> None:
        as_postgres(
            [str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8"]
        )
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(
                f"port = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.dir}'\n"
                "fsync = on\nmax_connections = 100\n"
            )
        self.pg_ctl("start")
        psql = [
            str(PG_BIN / "psql"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-v",
            "ON_ERROR_STOP=1",
        ]
        as_postgres([*psql, "-c", "CREATE ROLE linli LOGIN SUPERUSER PASSWORD 'linli'"])
        as_postgres([*psql, "-c", "CREATE DATABASE linli OWNER linli"])

    def restart(self) -> float:
        started = time.perf_counter()
        self.pg_ctl("restart", "-m", "fast")
        return time.perf_counter() - started

    def stop(self, keep: bool = False) -> None:
        try:
            self.pg_ctl("stop", "-m", "fast")
        except subprocess.CalledProcessError:
            pass
        if not keep:
            shutil.rmtree(self.dir, ignore_errors=True)


SETUP = """
import django; django.setup()
from linli.org.services import api_token_create, staff_create
agent = staff_create(username="faults_agent", password="faults-only-password-2026", role="hotline_agent",
                     display_name="演练话务员")
print(api_token_create(user=agent, name="faults")[1])
"""


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.acked: dict[str, str] = {}  # text -> code
        self.statuses: Counter[int] = Counter()
        self.conn_errors = 0
        self.times_503: list[float] = []  # monotonic times of the 503 answers


def client_loop(base: str, token: str, deadline: float, grace: float, tally: Tally, n: int) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, timeout=15) as http:
        while time.monotonic() < deadline:
            key = uuid.uuid4().hex
            text = f"故障演练第{n}号客户端诉求 {key}：小区门口路灯不亮"
            body = {"channel": "hotline", "demand_type": "complaint", "text": text, "phone": "13900000000"}
            wait = 0.05
            while time.monotonic() < deadline + grace:  # the same key until acknowledged
                try:
                    answer = http.post(
                        "/api/v1/demands", json=body, headers={**headers, "Idempotency-Key": key}
                    )
                except httpx.HTTPError:
                    with tally.lock:
                        tally.conn_errors += 1
                else:
                    with tally.lock:
                        tally.statuses[answer.status_code] += 1
                        if answer.status_code == 503:
                            tally.times_503.append(time.monotonic())
                    if answer.status_code == 201:
                        with tally.lock:
                            tally.acked[text] = answer.json()["code"]
                        break
                    if answer.status_code < 500 and answer.status_code != 429:
                        raise SystemExit(f"unexpected {answer.status_code}: {answer.text[:300]}")
                time.sleep(wait)
                wait = min(wait * 2, 1.0)


def check(url: str, tally: Tally, outage: tuple[float, float]) -> dict:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://")) as db:
        rows = db.execute(
            "SELECT d.code, d.text, EXISTS (SELECT 1 FROM demands_demandevent e WHERE e.demand_id = d.id "
            "AND e.kind = 'registered') FROM demands_demand d WHERE d.text LIKE '故障演练%%'"
        ).fetchall()
    codes = {code for code, _, _ in rows}
    per_text = Counter(text for _, text, _ in rows)
    statuses = tally.statuses
    return {
        "acknowledged": len(tally.acked),
        "present": sum(code in codes for code in tally.acked.values()),
        "lost": sum(code not in codes for code in tally.acked.values()),
        "in_database": len(rows),
        "duplicated": sum(n - 1 for n in per_text.values() if n > 1),
        "no_event": sum(not has for _, _, has in rows),
        "status_503": statuses[503],
        # 503 outside the restart (from its start to 10 s after PostgreSQL is back): should be none
        "status_503_outside_outage": sum(not (outage[0] <= t <= outage[1] + 10) for t in tally.times_503),
        "other_5xx": sum(n for s, n in statuses.items() if s >= 500 and s != 503),
        "conn_errors": tally.conn_errors,
    }


def gunicorn_workers(master: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=90)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--kill-at", type=float, default=0.3, help="fraction of the run")
    parser.add_argument("--restart-at", type=float, default=0.55, help="fraction of the run")
    parser.add_argument("--pg-port", type=int, default=0)
    parser.add_argument("--keep", action="store_true", help="keep the cluster's directory (its log)")
    parser.add_argument(
        "--schema-from",
        default="",
        help="copy the tables from this migrated database (pg_dump --schema-only) instead of migrating: faster",
    )
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        raise SystemExit("faults.py needs root: its PostgreSQL cluster runs as the postgres user")

    cluster = Cluster(args.pg_port or free_port())
    data = Path(tempfile.mkdtemp(prefix="linli-faults-data-"))
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "LINLI_TEST_NOW")}
    env.update(
        DATABASE_URL=cluster.url,
        LINLI_DATA_DIR=str(data),
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="linli.settings",
        LINLI_LOG_LEVEL="WARNING",
    )
    server = None
    events: list[dict] = []
    try:
        cluster.start()
        if args.schema_from:
            dump = subprocess.run(
                ["pg_dump", "--schema-only", "--no-owner", "--no-privileges", args.schema_from],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            subprocess.run(
                ["psql", "-q", "-v", "ON_ERROR_STOP=1", cluster.url],
                input=dump,
                check=True,
                capture_output=True,
                text=True,
            )
        else:
            subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
        token = (
            subprocess.run(
                [sys.executable, "-c", SETUP], cwd=ROOT, env=env, check=True, capture_output=True, text=True
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "linli.wsgi:application",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                str(args.workers),
                "--timeout",
                "30",
                "-c",
                str(ROOT / "scripts" / "gunicorn.conf.py"),
            ],
            cwd=ROOT,
            env=env,
            stdout=open(data / "gunicorn.log", "wb"),
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        start = time.monotonic()
        deadline = start + args.seconds
        tally = Tally()
        threads = [
            threading.Thread(target=client_loop, args=(base, token, deadline, 30.0, tally, i), daemon=True)
            for i in range(args.clients)
        ]
        for t in threads:
            t.start()
        time.sleep(max(0.0, start + args.seconds * args.kill_at - time.monotonic()))
        victims = gunicorn_workers(server.pid)
        if victims:
            os.kill(victims[0], signal.SIGKILL)
            events.append({"at": round(time.monotonic() - start, 1), "event": "killed gunicorn worker"})
        time.sleep(max(0.0, start + args.seconds * args.restart_at - time.monotonic()))
        restart_began = time.monotonic()
        took = cluster.restart()
        outage = (restart_began, time.monotonic())
        events.append(
            {"at": round(time.monotonic() - start, 1), "event": f"PostgreSQL restarted in {took:.1f}s"}
        )
        for t in threads:
            t.join()
        result = {
            "clients": args.clients,
            "seconds": args.seconds,
            **check(cluster.url, tally, outage),
            "events": events,
        }
    finally:
        if server is not None:
            server.terminate()
            server.wait(20)
        cluster.stop(keep=args.keep)
        shutil.rmtree(data, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False))
    return result


if __name__ == "__main__":
    main()
