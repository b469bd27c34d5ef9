"""The access part of the demo: two catalogue versions, every outcome, and a ledger that shows the burden fall."""

import datetime as dt

import pytest

from linli.access import selectors
from linli.access.ledger import ledger_compare
from linli.core import clock


@pytest.mark.django_db
def test_demo_has_two_versions_the_second_cuts_items(demo):
    versions = list(selectors.version_list().filter(status="published").order_by("number"))
    assert len(versions) == 2
    diff = selectors.catalogue_diff(old=versions[0], new=versions[1])
    assert len(diff["removed"]) == 12 and diff["changed"]
    kinds = {k: versions[0].items.filter(kind=k).count() for k in ("duty", "assist", "negative")}
    assert kinds == {"duty": 40, "assist": 60, "negative": 10}


@pytest.mark.django_db
def test_demo_requests_reach_every_outcome(demo):
    statuses = set(selectors.request_list().values_list("status", flat=True))
    assert {"admitted", "refused", "pending", "approved", "rejected"} <= statuses
    assert selectors.request_list().count() >= 100
    assert any("准入" in line for line in demo["extra"]), demo["extra"]


@pytest.mark.django_db
def test_demo_ledger_shows_fewer_refusals_and_plaques_after(demo):
    today = clock.today()
    mid = today - dt.timedelta(days=182)
    data = ledger_compare(
        before=(today - dt.timedelta(days=364), mid - dt.timedelta(days=1)), after=(mid, today)
    )
    lines = {line["key"]: line for line in data["lines"]}
    assert lines["refused"]["after"] < lines["refused"]["before"]
    assert lines["plaques"]["after"] < lines["plaques"]["before"]
    assert lines["plaques_removed"]["after"] > 0 and lines["items_cut"]["after"] == 12
    assert lines["certificates_cancelled"]["after"] == 3
    assert data["after"]["rows"] and all(r["residents_per_cadre"] for r in data["after"]["rows"])
