"""Event tables only grow: the ORM refuses to change or delete a row everywhere, PostgreSQL refuses raw SQL too;
and the admin shows events and service-owned rows without letting anyone write around a service."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from linli.access.models import RequestEvent
from linli.access.tests import factories as af
from linli.core.errors import AppendOnly
from linli.demands.models import Demand, DemandEvent
from linli.demands.tests import factories as df
from linli.dispatch.models import DispatchDecision
from linli.programs.models import ProgramsEvent
from linli.programs.tests.factories import camp
from linli.visits.models import Campaign, VisitsEvent
from linli.visits.tests import factories as vf
from linli.workshop.models import WorkshopEvent
from linli.workshop.tests.factories import shop

pytestmark = pytest.mark.django_db

EVENT_MODELS = [DemandEvent, RequestEvent, VisitsEvent, ProgramsEvent, WorkshopEvent]


@pytest.fixture
def events(world):
    """One real event in each table, written by the services."""
    af.catalogue(world)
    af.pending(world)
    vf.campaign(world)
    df.dispatched(world)
    camp(world)
    shop(world)
    rows = {model: model.objects.order_by("pk").first() for model in EVENT_MODELS}
    assert all(rows.values())
    return rows


@pytest.mark.parametrize("model", EVENT_MODELS, ids=lambda m: m.__name__)
def test_the_orm_refuses_to_change_or_delete_an_event(events, model):
    row = events[model]
    before = model.objects.count()
    field = "note" if hasattr(row, "note") else "reason"
    setattr(row, field, "改过的历史")
    for attempt in (
        row.save,
        row.delete,
        lambda: model.objects.filter(pk=row.pk).update(**{field: "改过的历史"}),
        lambda: model.objects.filter(pk=row.pk).delete(),
        lambda: model.objects.bulk_update([row], [field]),
    ):
        with pytest.raises(AppendOnly) as err:
            attempt()
        assert err.value.code == "event.append_only"
    fresh = model.objects.get(pk=row.pk)
    assert getattr(fresh, field) != "改过的历史" and model.objects.count() == before


def test_inserting_events_still_works_and_a_dispatch_decision_is_append_only_too(world, events):
    n = VisitsEvent.objects.count()
    vf.cadres(world)  # each new cadre leaves an event
    assert VisitsEvent.objects.count() > n
    decision = DispatchDecision.objects.first()
    assert decision is not None  # the dispatch above recorded what the model suggested
    with pytest.raises(AppendOnly):
        DispatchDecision.objects.filter(pk=decision.pk).update(corrected=True)
    with pytest.raises(AppendOnly):
        decision.delete()


def test_a_person_who_acted_cannot_be_deleted_from_the_record(world, events):
    """Deleting an account would rewrite every event naming it; the account is deactivated instead."""
    coord = world.user("coord")  # planned the campaign
    with pytest.raises(ProtectedError):
        coord.delete()
    assert VisitsEvent.objects.filter(actor=coord).exists()
    agent = world.user("agent")  # registered the demand
    with pytest.raises(ProtectedError):
        agent.delete()
    assert DemandEvent.objects.filter(actor=agent).exists()


def _raw(sql: str, params) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
@pytest.mark.parametrize("model", EVENT_MODELS, ids=lambda m: m.__name__)
def test_postgresql_refuses_raw_updates_and_deletes_of_events(events, model):
    row = events[model]
    table = model._meta.db_table
    at_before = model.objects.get(pk=row.pk).at
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"UPDATE {table} SET at = at - interval '1 day' WHERE id = %s", [row.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"DELETE FROM {table} WHERE id = %s", [row.pk])
    assert model.objects.get(pk=row.pk).at == at_before


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_postgresql_refuses_a_cascade_that_would_erase_a_demands_history(events):
    demand_id = events[DemandEvent].demand_id
    n = DemandEvent.objects.filter(demand_id=demand_id).count()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Demand.objects.filter(pk=demand_id).delete()  # the ORM cascades to the events: the database says no
    assert DemandEvent.objects.filter(demand_id=demand_id).count() == n


# --- the admin never writes around a service ------------------------------------------------------------

# Configuration of the domain apps, editable in the admin; every other model of these apps is read-only there.
# A model registered in the admin of one of these apps must be listed here or be read-only.
DOMAIN_APPS = ("demands", "access", "visits", "analytics")
EDITABLE_CONFIGURATION = {
    "demands.deadlinepolicy",  # 办理时限
    "access.plaquetype",
    "access.certificate",
    "access.cadrecount",
    "visits.cadre",  # the cadre pool: linking an account, leaving the pool
}


def _domain_admin_models():
    from django.contrib import admin

    return {
        f"{m._meta.app_label}.{m._meta.model_name}": (m, ma)
        for m, ma in admin.site._registry.items()
        if m._meta.app_label in DOMAIN_APPS
    }


def test_every_service_owned_model_is_read_only_in_the_admin(rf, world):
    request = rf.get("/admin/")
    request.user = world.user("admin")
    request.user.is_superuser = True
    models = _domain_admin_models()
    assert {"visits.visitsevent", "visits.campaign", "visits.meeting", "visits.visit"} <= set(models)
    writable = {
        label
        for label, (_m, ma) in models.items()
        if ma.has_add_permission(request)
        or ma.has_change_permission(request)
        or ma.has_delete_permission(request)
    }
    assert writable == EDITABLE_CONFIGURATION & set(models)
    checked = 0
    for _m, ma in models.values():
        for inline in ma.get_inline_instances(request):
            if _m._meta.label_lower not in EDITABLE_CONFIGURATION:
                assert not inline.has_add_permission(request, None), inline
                checked += 1
    assert checked > 0  # the read-only admins do have inlines, and each was looked at


def test_the_admin_cannot_forge_visit_history(client, world):
    vf.campaign(world)
    admin_user = world.user("admin")
    admin_user.is_superuser = admin_user.is_staff = True
    admin_user.save()
    client.force_login(admin_user)
    event = VisitsEvent.objects.first()
    before = list(VisitsEvent.objects.values_list("pk", "kind", "note"))
    add = client.post(
        "/admin/visits/visitsevent/add/",
        {"subject_type": "visit", "subject_id": 1, "kind": "created", "at_0": "2026-06-03", "at_1": "20:00"},
    )
    assert add.status_code == 403
    change = client.post(f"/admin/visits/visitsevent/{event.pk}/change/", {"note": "伪造"})
    delete = client.post(f"/admin/visits/visitsevent/{event.pk}/delete/", {"post": "yes"})
    assert change.status_code in (302, 403) and delete.status_code == 403
    campaign = Campaign.objects.get()  # the campaign is read-only too: its changes go through services
    assert client.get(f"/admin/visits/campaign/{campaign.pk}/change/").status_code == 200  # may still look
    assert client.post(f"/admin/visits/campaign/{campaign.pk}/change/", {"name": "改名"}).status_code in (
        302,
        403,
    )
    assert Campaign.objects.get().name == campaign.name
    assert list(VisitsEvent.objects.values_list("pk", "kind", "note")) == before
