"""The configuration tables are editable in the Django admin, in Chinese, through the services."""

import pytest

from linli.dispatch.models import Category
from linli.org.models import Jurisdiction
from linli.org.tests.factories import PASSWORD


@pytest.fixture
def admin_client(client, world):
    assert client.login(username="admin", password=PASSWORD)
    return client


@pytest.mark.parametrize(
    "model",
    [
        "core/calendarday",
        "org/jurisdiction",
        "org/unit",
        "org/user",
        "dispatch/category",
        "dispatch/dispatchrule",
        "demands/deadlinepolicy",
        "demands/demand",
    ],
)
def test_admin_lists_open_in_chinese(admin_client, model):
    response = admin_client.get(f"/admin/{model}/")
    assert response.status_code == 200
    assert "邻里" in response.content.decode()


def test_admin_adds_a_community_with_its_path_and_renames_a_category_subtree(admin_client, world):
    r = admin_client.post(
        "/admin/org/jurisdiction/add/",
        {
            "code": "350902101003",
            "name": "新村",
            "level": "village",
            "parent": world.street.pk,
            "population": 800,
        },
    )
    assert r.status_code == 302
    assert Jurisdiction.objects.get(code="350902101003").path == world.street.path + "350902101003/"
    top = world.categories["top"]
    r = admin_client.post(f"/admin/dispatch/category/{top.pk}/change/", {"name": "城乡建设管理"})
    assert r.status_code == 302
    assert Category.objects.get(code="C111").full_name == "城乡建设管理/市政管理/占道经营"


def test_admin_edits_the_deadline_policy(admin_client):
    from linli.demands.models import DeadlinePolicy

    row = DeadlinePolicy.objects.get(demand_type="consultation", urgency="normal")
    r = admin_client.post(
        f"/admin/demands/deadlinepolicy/{row.pk}/change/",
        {
            "demand_type": "consultation",
            "urgency": "normal",
            "sign_amount": 1,
            "sign_unit": "working_hours",
            "finish_amount": 2,
            "finish_unit": "working_days",
            "max_extension_days": 10,
            "callback_days": 2,
        },
    )
    assert r.status_code == 302
    row.refresh_from_db()
    assert (row.finish_amount, row.max_extension_days) == (2, 10)
