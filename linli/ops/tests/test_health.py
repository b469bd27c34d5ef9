"""Health, readiness, metrics and the request id, as a load balancer, Prometheus and an operator see them."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from django.db.backends.utils import CursorWrapper
from django.db.utils import OperationalError
from django.test import Client

from linli.core.logs import JsonFormatter, RequestIdFilter
from linli.demands.tests import factories as df
from linli.dispatch.services import crosswalk_import

CROSSWALK = (
    "reference_path,category,note\n城乡建设/城市管理,城乡建设/市政管理,\n交通运输,交通运输/道路交通秩序,\n"
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down():
    """Every query fails until the test ends (undone before the test database is cleaned)."""

    def execute(self, *args, **kwargs):
        raise OperationalError("connection refused")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(CursorWrapper, "execute", execute)
        yield


def test_healthz_answers_without_the_database(database_down):
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_is_ready_with_database_and_model(world):
    crosswalk_import(name="cw.csv", content=CROSSWALK.encode())
    response = Client().get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["checks"]["database"]["ok"] and body["checks"]["dispatch_model"] == {
        "ok": True,
        "detail": "starter",
    }
    assert "redis" not in body["checks"]  # no REDIS_URL in this run: nothing to check


def test_readyz_says_a_new_installation_has_no_model_yet_but_serves(world):
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["dispatch_model"]["detail"].startswith("missing")


def test_readyz_is_503_when_the_model_file_cannot_be_read(world, settings):
    models = Path(settings.LINLI_DISPATCH_MODEL_DIR)
    models.mkdir(parents=True, exist_ok=True)
    (models / "dispatch-v1.pkl").write_bytes(b"not a model")
    (models / "dispatch-current.json").write_text('{"version": "v1", "file": "dispatch-v1.pkl"}')
    response = Client().get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["dispatch_model"]["ok"] is False


def test_readyz_is_503_with_retry_after_when_the_database_is_down(database_down):
    response = Client().get("/readyz")
    assert response.status_code == 503 and int(response["Retry-After"]) > 0
    assert response.json()["checks"]["database"]["ok"] is False


def test_readyz_reports_an_unreachable_redis(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"]["ok"] is False


def test_every_answer_carries_a_request_id_and_keeps_a_sane_one_sent():
    client = Client()
    made = client.get("/healthz")["X-Request-ID"]
    assert len(made) == 32
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-42.a")["X-Request-ID"] == "lb-42.a"
    forged = client.get("/healthz", HTTP_X_REQUEST_ID='x" \n{"level": "ERROR"}')["X-Request-ID"]
    assert forged != 'x" \n{"level": "ERROR"}' and len(forged) == 32


def test_one_json_log_line_per_request_with_route_status_ms_and_id(caplog):
    caplog.set_level(logging.INFO, logger="linli.request")
    Client().get("/readyz", HTTP_X_REQUEST_ID="req-7")
    [record] = [r for r in caplog.records if r.name == "linli.request"]
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "req-7" and line["method"] == "GET" and line["route"] == "/readyz"
    assert line["status"] == 200 and isinstance(line["ms"], float)


def test_metrics_is_404_without_the_token_and_for_non_staff(world, settings):
    settings.LINLI_METRICS_TOKEN = "s3cret-token"
    assert Client().get("/metrics").status_code == 404
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    client = Client()
    client.force_login(world.user("dispatcher"))
    assert client.get("/metrics").status_code == 404


def test_metrics_show_latency_by_route_jobs_and_the_backlog(world, settings):
    settings.LINLI_METRICS_TOKEN = "s3cret-token"
    df.registered(world)
    overdue = df.registered(world)
    from linli.demands.models import Demand

    Demand.objects.filter(pk=overdue.pk).update(is_overdue=True)
    from linli.ops.jobs import job_run

    job_run("linli.demands.services.sla_sweep", 60, 1_800_000_000)
    client = Client()
    client.get("/healthz")
    text = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token").content.decode()
    assert 'linli_request_seconds_count{method="GET",route="/healthz",status="200"}' in text
    assert "linli_demands_open 2.0" in text and "linli_demands_overdue 1.0" in text
    assert 'linli_job_runs_total{job="sla_sweep",outcome="done"}' in text
    assert 'linli_job_ledger_runs{job="sla_sweep",status="done"} 1.0' in text


def _sample(name: str, **labels) -> float:
    from prometheus_client import REGISTRY

    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.mark.django_db(transaction=True)
def test_the_embedded_scheduler_counts_its_runs_and_failures_for_metrics():
    import time

    from linli.core.scheduler import Scheduler

    done, failed = (
        _sample("linli_job_runs_total", job="job", outcome="done"),
        _sample("linli_job_runs_total", job="broken", outcome="failed"),
    )
    sched = Scheduler(
        jobs=[("linli.core.tests.test_scheduler.broken", 0), ("linli.core.tests.test_scheduler.job", 0)],
        tick=0.05,
    )
    sched.start()
    deadline = time.monotonic() + 5
    while (
        _sample("linli_job_runs_total", job="job", outcome="done") < done + 2 and time.monotonic() < deadline
    ):
        time.sleep(0.05)
    sched.stop()
    sched.join(timeout=2)
    assert _sample("linli_job_runs_total", job="job", outcome="done") >= done + 2
    assert _sample("linli_job_runs_total", job="broken", outcome="failed") >= failed + 1
