"""One event base: every event table is an EventBase (append-only, actor, at, ``record``)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth.models import AnonymousUser

from linli.core.appendonly import AppendOnlyModel
from linli.core.errors import AppendOnly
from linli.core.events import EventBase, json_value

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_every_append_only_table_is_an_event_of_the_one_base():
    tables = [m for m in apps.get_models() if issubclass(m, AppendOnlyModel)]
    assert sorted(m.__name__ for m in tables) == [
        "DemandEvent",
        "DispatchDecision",
        "EmpowerEvent",
        "NotifyEvent",
        "ProgramsEvent",
        "RequestEvent",
        "VisitsEvent",
        "WorkshopEvent",
    ]
    for model in tables:
        assert issubclass(model, EventBase), model
        assert {"kind", "at"} <= {f.name for f in model._meta.fields}, model
    # ordered by time wherever the table had an order; dispatch decisions never had one (reports aggregate them)
    assert apps.get_model("access", "RequestEvent")._meta.ordering == ["at", "pk"]
    assert apps.get_model("visits", "VisitsEvent")._meta.ordering == ["at", "pk"]
    assert "actor" not in {f.name for f in apps.get_model("dispatch", "DispatchDecision")._meta.fields}


def test_json_value_keeps_times_local_and_dates_as_text():
    at = dt.datetime(2026, 12, 31, 16, 30, tzinfo=dt.UTC)
    assert json_value(at) == "2027-01-01T00:30:00+08:00"
    assert json_value(dt.date(2026, 12, 31)) == "2026-12-31"
    assert json_value([1, "a"]) == [1, "a"]


@pytest.mark.django_db
def test_record_appends_now_with_the_person_and_a_json_payload_and_never_changes(world):
    event_model = apps.get_model("visits", "VisitsEvent")
    moment = dt.datetime(2026, 11, 20, 21, 15, tzinfo=SHANGHAI)
    with time_machine.travel(moment, tick=False):
        row = event_model.record(
            "changed",
            actor=world.user("coord"),
            subject_type="campaign",
            subject_id=7,
            old={"ends_on": dt.date(2026, 8, 31)},
            new={"ends_on": dt.date(2026, 9, 30)},
        )
    row.refresh_from_db()
    assert (row.at, row.actor, row.old, row.new) == (
        moment,
        world.user("coord"),
        {"ends_on": "2026-08-31"},
        {"ends_on": "2026-09-30"},
    )
    resident = event_model.record("changed", actor=AnonymousUser(), subject_type="campaign", subject_id=7)
    assert resident.actor is None
    row.note = "改写"
    with pytest.raises(AppendOnly):
        row.save()
    with pytest.raises(AppendOnly):
        event_model.objects.filter(pk=row.pk).delete()


@pytest.mark.django_db
def test_a_table_without_an_actor_refuses_one():
    decision = apps.get_model("dispatch", "DispatchDecision")
    row = decision.record("dispatch", demand_id=1, at=dt.datetime(2026, 11, 20, 2, tzinfo=dt.UTC))
    assert row.pk and row.kind == "dispatch"
    with pytest.raises(TypeError):
        decision.record("dispatch", actor=object(), demand_id=1)
