"""What holds for every demand whichever service changes it: append-only events, one active lead, versions."""

import pytest
from django.db import IntegrityError, transaction

from linli.core.errors import AppendOnly
from linli.demands import services as s
from linli.demands.models import Assignment
from linli.demands.tests import factories as f


def test_events_are_append_only(world):
    event = f.registered(world).events.get()
    event.note = "edited"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()


def test_the_database_refuses_a_second_active_lead(world):
    d = f.dispatched(world)
    lead = f.lead_of(d)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            demand=d,
            unit=world.jj,
            role="lead",
            dispatched_at=lead.dispatched_at,
            sign_due=lead.sign_due,
            finish_due=lead.finish_due,
        )


def test_every_change_increments_the_version(world):
    d = f.registered(world)
    v = d.version
    d = s.demand_dispatch(
        actor=world.user("dispatcher"), demand_id=d.pk, category_id=world.categories["mid"].pk
    )
    assert d.version == v + 1
