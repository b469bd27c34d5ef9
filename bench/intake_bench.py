"""Intake throughput: POST demands with 1 and 8 concurrent clients, against Linli or the reference peer.

The same 20 complaints, client counts and duration as ../shared/bench/peer-baisitong2/intake_bench.py.

usage: python bench/intake_bench.py --target linli|peer|bare --url URL [--seconds 20] [--clients 1,8] [--token T]
Prints one JSON line per client count: {"target", "clients", "ok", "errors", "rps", "p50_ms", "p99_ms"}.
"""

from __future__ import annotations

import argparse
import itertools
import json
import pathlib
import threading
import time

import httpx

COMPLAINTS = (
    pathlib.Path(__file__).resolve().parents[2] / "shared" / "bench" / "peer-baisitong2" / "complaints20.json"
)


def request_for(target: str, text: str, token: str | None):
    if target == "peer":
        return "/api/appeals", {"content": text, "source": "线上留言"}, {}, 200
    if target == "bare":  # bench/bare: one INSERT behind a bare Django view, the physical limit
        return "/bare/demands", {"text": text, "phone": "13900000000"}, {}, 201
    body = {"channel": "hotline", "demand_type": "complaint", "text": text, "phone": "13900000000"}
    return "/api/v1/demands", body, {"Authorization": f"Bearer {token}"}, 201


def phase(target: str, base: str, token: str | None, texts: list[str], seconds: float, clients: int) -> dict:
    counter = itertools.count()
    ok: list[float] = []
    failed: list[float] = []
    lock = threading.Lock()
    start = time.perf_counter()
    deadline = start + seconds

    def worker():
        with httpx.Client(base_url=base, timeout=30) as c:
            while time.perf_counter() < deadline:
                text = texts[next(counter) % len(texts)]
                path, body, headers, expected = request_for(target, text, token)
                t0 = time.perf_counter()
                try:
                    good = c.post(path, json=body, headers=headers).status_code == expected
                except httpx.HTTPError:
                    good = False
                elapsed = time.perf_counter() - t0
                with lock:
                    (ok if good else failed).append(elapsed)

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
        "target": target,
        "clients": clients,
        "ok": len(ok),
        "errors": len(failed),
        "rps": round(len(ok) / wall, 1),
        "p50_ms": q(0.5),
        "p99_ms": q(0.99),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--target", choices=["linli", "peer", "bare"], required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", default="1,8")
    parser.add_argument("--token")
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    texts = [x["text"] for x in json.loads(COMPLAINTS.read_text("utf-8"))]
    for n in [int(x) for x in args.clients.split(",")]:
        result = phase(args.target, args.url.rstrip("/"), args.token, texts, args.seconds, n)
        result["label"] = args.label or args.target
        print(json.dumps(result, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
