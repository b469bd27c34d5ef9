"""Two gunicorn app servers behind nginx over one PostgreSQL, one Redis and one data directory
(``scripts/multi_server.sh``): whichever server answers, a person stays signed in, a CSRF token from one
is good at the other, a photo uploaded through one is served by the other, a retried submission with the
same Idempotency-Key makes one demand, a rate limit counts the requests of both, static files come from
WhiteNoise.

PostgreSQL runs only (CI's PostgreSQL run); skipped without nginx unless ``LINLI_REQUIRE_REDIS=1``.
"""

from __future__ import annotations

import hashlib
import re
import signal
from pathlib import Path

import httpx
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.staticfiles import finders
from django.db import connection

from linli.core.models import Attachment
from linli.core.tests.images import tiny_png
from linli.demands.models import Demand
from linli.ops.tests import live
from linli.org.models import User
from linli.org.tests.factories import PASSWORD, make_world

HASHER = PBKDF2PasswordHasher()
TOKEN = "multi-metrics-token"
TRACK = re.compile(
    r'^linli_request_seconds_count\{method="GET",route="/api/v1/public/demands/track",status="\d+"\} (\S+)$',
    re.M,
)
pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


def _hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)" name="{name}"', html
    )
    assert found, f"no {name} in the page"
    return found.group(1)


@pytest.fixture
def servers(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("several app servers share one PostgreSQL (the PostgreSQL run)")
    live.require("nginx", "LINLI_REQUIRE_REDIS")
    live.require("redis-server", "LINLI_REQUIRE_REDIS")
    port, a, b = live.free_port(), live.free_port(), live.free_port()
    data = tmp_path / "data"
    data.mkdir()
    env = live.base_env(
        data,
        DATABASE_URL=live.postgres_url(),
        PORT=str(port),
        APP_PORTS=f"{a} {b}",
        WORKERS="2",
        RUN_DIR=str(tmp_path / "run"),
        LINLI_METRICS_TOKEN=TOKEN,
        PYTHON=live.PYTHON,
    )
    out = tmp_path / "multi.out"
    proc = live.start(["bash", "scripts/multi_server.sh"], env, out)
    try:
        live.wait_for(lambda: "ready" in out.read_text() or proc.poll() is not None, 120, "the servers")
        assert proc.poll() is None, out.read_text() + "".join(
            p.read_text()[-2000:] for p in (tmp_path / "run").glob("*.log")
        )
        yield f"http://127.0.0.1:{port}", {f"127.0.0.1:{a}", f"127.0.0.1:{b}"}, data
    finally:
        live.stop(proc, signal.SIGTERM)


def test_two_servers_behind_nginx_behave_as_one(servers):
    base, upstreams, data = servers
    world = make_world()
    # The servers hash with Django's default hasher (the tests' fast one is not in their list).
    User.objects.filter(username="dispatcher").update(password=HASHER.encode(PASSWORD, HASHER.salt()))
    seen: set[str] = set()

    def note(response: httpx.Response) -> httpx.Response:
        seen.add(response.headers["X-Upstream"])
        return response

    with httpx.Client(base_url=base, follow_redirects=False, timeout=30) as staff:
        # Sign in: the form from one server, the POST (with its CSRF token) to the other, pages from both.
        form = note(staff.get("/login/"))
        posted = note(
            staff.post(
                "/login/",
                data={
                    "username": "dispatcher",
                    "password": PASSWORD,
                    "csrfmiddlewaretoken": _hidden(form.text, "csrfmiddlewaretoken"),
                },
            )
        )
        assert posted.status_code == 302 and form.headers["X-Upstream"] != posted.headers["X-Upstream"]
        homes = [note(staff.get("/", follow_redirects=True)) for _ in range(4)]
        assert [h.status_code for h in homes] == [200] * 4
        assert not any(h.url.path.startswith("/login") for h in homes)  # signed in on both
        assert {r.headers["X-Upstream"] for h in homes for r in [*h.history, h]} == upstreams

        # A resident's photo: the form from one server, the upload to the other, served by both.
        with httpx.Client(base_url=base, follow_redirects=False, timeout=30) as resident:
            page = note(resident.get("/portal/submit/"))
            photo = tiny_png(16, 16)
            sent = note(
                resident.post(
                    "/portal/submit/",
                    data={
                        "csrfmiddlewaretoken": _hidden(page.text, "csrfmiddlewaretoken"),
                        "form_token": _hidden(page.text, "form_token"),
                        "demand_type": "help",
                        "text": "楼道灯坏了两个星期",
                        "address": "金榕小区5栋",
                        "community": str(world.community.pk),
                        "phone": "13900002222",
                    },
                    files={"photo": ("楼道.png", photo, "image/png")},
                )
            )
            assert sent.status_code in (200, 302), sent.text[:500]
            assert page.headers["X-Upstream"] != sent.headers["X-Upstream"]
        row = Attachment.objects.get()
        stored = (data / "media" / row.file.name).read_bytes()
        assert hashlib.sha256(stored).hexdigest() == row.sha256
        served = [note(staff.get(f"/portal/attachments/{row.pk}/")) for _ in range(2)]
        assert {s.headers["X-Upstream"] for s in served} == upstreams
        assert all(s.status_code == 200 and s.content == stored for s in served)

    with httpx.Client(base_url=base, timeout=30) as client:
        # A retried submission with the same key lands on the other server: the first answer, one demand.
        body = {
            "demand_type": "help",
            "text": "小区门口积水很深",
            "address": "金榕路9号",
            "phone": "13900003333",
        }
        first = note(client.post("/api/v1/public/demands", json=body, headers={"Idempotency-Key": "multi-1"}))
        again = note(client.post("/api/v1/public/demands", json=body, headers={"Idempotency-Key": "multi-1"}))
        assert first.status_code == again.status_code == 201 and again.json() == first.json()
        assert again.headers.get("Idempotent-Replayed") == "true"
        assert first.headers["X-Upstream"] != again.headers["X-Upstream"]
        assert Demand.objects.filter(text="小区门口积水很深").count() == 1

        # The track limit (60 a minute per address) counts the requests of both servers together.
        answers = [
            note(
                client.get("/api/v1/public/demands/track", params={"code": "NOPE0000", "phone_last4": "1234"})
            )
            for _ in range(70)
        ]
        assert sum(r.status_code == 429 for r in answers) == 10
        assert {r.headers["X-Upstream"] for r in answers[:60]} == upstreams

        # Static files from WhiteNoise, on both servers, with a long cache for versioned vendor files.
        name, storage = next(
            finders.get_finder("django.contrib.staticfiles.finders.AppDirectoriesFinder").list([])
        )
        on_disk = Path(storage.path(name)).read_bytes()
        statics = [note(client.get(f"/static/{name}")) for _ in range(2)]
        assert all(s.status_code == 200 and s.content == on_disk for s in statics)
        assert {s.headers["X-Upstream"] for s in statics} == upstreams
        # /metrics of each server adds up its worker processes (prometheus_client's multiprocess mode):
        # the two servers' counts of the track requests make all 70.
        scrapes = {}
        while set(scrapes) != upstreams:
            scrape = note(client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}))
            assert scrape.status_code == 200
            scrapes[scrape.headers["X-Upstream"]] = scrape.text
        assert sum(float(n) for text in scrapes.values() for n in TRACK.findall(text)) == 70
        assert all("linli_demands_open" in text for text in scrapes.values())
    assert seen == upstreams
