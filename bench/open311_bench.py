"""Open311 POST throughput next to the JSON API's: the same complaints, clients and duration for both.

usage:
  python bench/open311_bench.py setup                       # in the server's database: prints {"key", "token"}
  python bench/open311_bench.py run --url URL --key K --token T [--seconds 10] [--clients 1,8]

``run`` prints one JSON line per interface and client count:
{"interface", "clients", "ok", "errors", "rps", "p50_ms", "p99_ms"}. Every request is a real
registration: ``POST /open311/v2/requests.json`` (form, api_key) answers 201 with a
service_request_id; ``POST /api/v1/demands`` (JSON, bearer token) answers 201 with the demand.
The server's Open311 rate limit must be raised for a benchmark (``LINLI_OPEN311_RATE_LIMIT``).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import threading
import time

import httpx

SERVICE_CODE = "BENCH1"
# Complaints written for this benchmark (not taken from any data set).
TEXTS = [
    "小区东门外人行道上的井盖松动，踩上去会翻，晚上看不清，希望尽快加固。",
    "菜市场后面的垃圾桶三天没人清运，气味很大，夏天招苍蝇。",
    "幸福路和建设路路口的红绿灯坏了两天，早高峰车辆乱行，很危险。",
    "楼下烧烤店每天营业到凌晨两点，油烟直接排进住户窗户。",
    "公交站台的遮雨棚被大风吹坏，铁皮悬在半空，担心砸到人。",
    "社区公园的健身器材有一台断裂，露出尖锐的钢管，小孩经常在那里玩。",
    "河边步道的路灯有一整段不亮，晚上散步的老人容易摔倒。",
    "学校门口的斑马线已经磨得看不见了，接送孩子的家长很担心。",
    "小区里有人私拉电线给电动车充电，从五楼垂到地面，存在火灾隐患。",
    "农贸市场门口占道经营严重，消防通道被堵，救护车进不来。",
]


def _request(interface: str, text: str, key: str, token: str, n: int):
    if interface == "open311":
        form = {
            "api_key": key,
            "service_code": SERVICE_CODE,
            "lat": f"{25 + (n % 97) / 1000:.6f}",
            "long": f"{118 + (n % 89) / 1000:.6f}",
            "description": text,
            "phone": "13900000000",
        }
        return "/open311/v2/requests.json", {"data": form}, 201
    body = {"channel": "hotline", "demand_type": "complaint", "text": text, "phone": "13900000000"}
    return "/api/v1/demands", {"json": body, "headers": {"Authorization": f"Bearer {token}"}}, 201


def warm_up(interface: str, base: str, key: str, token: str, requests: int = 8) -> None:
    """A few untimed requests, so each server worker has loaded its code and models (the screening model)."""
    with httpx.Client(base_url=base, timeout=60) as c:
        for n in range(requests):
            path, kwargs, _ = _request(interface, TEXTS[n % len(TEXTS)], key, token, n)
            c.post(path, **kwargs)


def phase(interface: str, base: str, key: str, token: str, seconds: float, clients: int) -> dict:
    counter = itertools.count()
    ok: list[float] = []
    failed: list[float] = []
    lock = threading.Lock()
    start = time.perf_counter()
    deadline = start + seconds

    def worker():
        with httpx.Client(base_url=base, timeout=30) as c:
            while time.perf_counter() < deadline:
                n = next(counter)
                path, kwargs, expected = _request(interface, TEXTS[n % len(TEXTS)], key, token, n)
                t0 = time.perf_counter()
                try:
                    good = c.post(path, **kwargs).status_code == expected
                except httpx.HTTPError:
                    good = False
                with lock:
                    (ok if good else failed).append(time.perf_counter() - t0)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    ok.sort()

    def q(p):
        return round(ok[min(len(ok) - 1, int(p * len(ok)))] * 1000, 1) if ok else None

    return {
        "interface": interface,
        "clients": clients,
        "ok": len(ok),
        "errors": len(failed),
        "rps": round(len(ok) / wall, 1),
        "p50_ms": q(0.5),
        "p99_ms": q(0.99),
    }


def setup() -> dict:
    """A category to post to, an Open311 key and a hotline agent's API token, in the configured database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
    import django

    django.setup()
    from linli.dispatch.selectors import category_list
    from linli.dispatch.services import category_create
    from linli.open311.services import open311_key_create
    from linli.org.selectors import staff_list
    from linli.org.services import api_token_create, staff_create

    if not category_list().filter(code=SERVICE_CODE).exists():
        top = category_create(code="BENCH", name="压测分类", parent=None)
        category_create(code=SERVICE_CODE, name="市容环境", parent=top)
    user = staff_list().filter(username="bench_agent").first() or staff_create(
        username="bench_agent",
        password="bench-only-password-2026",
        role="hotline_agent",
        display_name="压测话务员",
    )
    return {
        "key": open311_key_create(name="open311 benchmark")[1],
        "token": api_token_create(user=user, name="bench")[1],
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("setup")
    run = sub.add_parser("run")
    run.add_argument("--url", required=True)
    run.add_argument("--key", required=True)
    run.add_argument("--token", required=True)
    run.add_argument("--seconds", type=float, default=10)
    run.add_argument("--clients", default="1,8")
    run.add_argument("--label", default="")
    args = parser.parse_args(argv)
    if args.command == "setup":
        print(json.dumps(setup()))
        return
    for interface in ("open311", "json"):
        warm_up(interface, args.url.rstrip("/"), args.key, args.token)
    for n in [int(x) for x in args.clients.split(",")]:
        for interface in ("open311", "json"):
            result = phase(interface, args.url.rstrip("/"), args.key, args.token, args.seconds, n)
            result["label"] = args.label
            print(json.dumps(result, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
