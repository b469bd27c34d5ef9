"""Every list page and list endpoint reads a bounded number of queries, however many rows there are."""

import pytest
from django.urls import reverse

from linli.access import services as s
from linli.access.models import Task
from linli.access.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(world):
    f.catalogue(world)
    f.certificates()
    for _ in range(6):
        f.admitted(world)
        f.pending(world)
        f.refused(world)
    for t in Task.objects.filter(status="admitted")[:3]:
        s.task_report(actor=world.user("worker"), task_id=t.pk, note="ok")
    return world


@pytest.mark.parametrize(
    ("user", "url", "limit"),
    [
        ("cg_handler", "access:requests", 12),
        ("coord", "access:approvals", 12),
        ("coord", "access:catalogue", 14),
        ("worker", "access:inbox", 14),
        ("worker", "access:plaques", 12),
        ("worker", "access:certificates", 14),
        ("leader", "access:ledger", 60),
    ],
)
def test_list_pages_read_few_queries(client, busy, django_assert_max_num_queries, user, url, limit):
    client.force_login(busy.user(user))
    with django_assert_max_num_queries(limit):
        assert client.get(reverse(url)).status_code == 200


def test_catalogue_and_request_endpoints_read_few_queries(client, busy, django_assert_max_num_queries):
    client.force_login(busy.user("coord"))
    with django_assert_max_num_queries(8):
        client.get("/api/v1/access/catalogue")
    req = f.pending(busy)
    with django_assert_max_num_queries(10):
        client.get(f"/api/v1/access/requests/{req.pk}")
