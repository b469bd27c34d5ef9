"""POST /bare/demands: parse the JSON and insert one row (``bench_bare_demand``, made by ``ensure_table``)."""

import json

from django.db import connection
from django.http import HttpResponseBadRequest, JsonResponse
from django.urls import path
from django.utils import timezone

TABLE = "bench_bare_demand"


def ensure_table() -> None:
    with connection.cursor() as cur:
        cur.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (id bigserial PRIMARY KEY, text text NOT NULL, "
            "phone varchar(20) NOT NULL, registered_at timestamptz NOT NULL)"
        )


def register(request):
    try:
        body = json.loads(request.body)
        text, phone = str(body["text"]), str(body.get("phone", ""))
    except (ValueError, KeyError):
        return HttpResponseBadRequest("bad body")
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {TABLE} (text, phone, registered_at) VALUES (%s, %s, %s) RETURNING id",
            [text, phone, timezone.now()],
        )
        (row_id,) = cur.fetchone()
    return JsonResponse({"id": row_id}, status=201)


urlpatterns = [path("bare/demands", register)]
