"""While the database cannot be reached, pages and the API answer 503 with Retry-After, not 500."""

from __future__ import annotations

import pytest
from django.db import InterfaceError, OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down():
    """Every query fails as with a closed connection, until the test ends (before the database is cleaned)."""
    with pytest.MonkeyPatch.context() as patch:

        def down(error):
            def execute(self, *args, **kwargs):
                raise error("server closed the connection unexpectedly")

            patch.setattr(CursorWrapper, "execute", execute)
            patch.setattr(CursorWrapper, "executemany", execute)

        yield down


def signed_in(world, name):
    client = Client(raise_request_exception=False)
    client.force_login(world.user(name))
    return client


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_the_api_answers_503_with_retry_after(world, database_down, error):
    client = signed_in(world, "dispatcher")
    database_down(error)
    response = client.get("/api/v1/demands")
    assert response.status_code == 503 and int(response["Retry-After"]) > 0
    body = response.json()
    assert body["code"] == "server.database_unavailable" and "稍后再试" in body["message"]
    assert "try again" in body["message_en"]


@pytest.mark.parametrize("url", ["/", "/demands/", "/portal/track/?code=LL1"])
def test_pages_answer_503_with_retry_after(world, database_down, url):
    client = signed_in(world, "dispatcher")
    database_down(OperationalError)
    response = client.get(url)
    assert response.status_code == 503, url
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "暂时无法服务" in page and "server.database_unavailable" in page


def test_a_public_post_while_the_database_is_down_is_503_too(world, database_down):
    client = Client(raise_request_exception=False)
    database_down(OperationalError)
    response = client.post(
        "/api/v1/public/demands",
        {
            "demand_type": "help",
            "text": "路灯不亮",
            "community_id": world.community.pk,
            "phone": "13900001111",
        },
        content_type="application/json",
    )
    assert response.status_code == 503 and response["Retry-After"]


def test_other_errors_stay_500(world, database_down):
    client = signed_in(world, "dispatcher")

    def broken(self, *args, **kwargs):
        raise ZeroDivisionError("a bug, not an outage")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(CursorWrapper, "execute", broken)
        response = client.get("/demands/")
        api = client.get("/api/v1/demands")
    assert response.status_code == 500 and api.status_code == 500
