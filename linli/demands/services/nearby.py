""" "我也遇到": a resident adds themselves to an open demand nearby instead of filing a new one.

The demand is not copied: its supporter count goes up, the step is an event (the notify app tells the
resident, and tells them again with the reply), and the resident can follow it with their own phone number.
"""

from __future__ import annotations

from django.db import transaction

from linli.demands.models import Demand, DemandSupporter
from linli.demands.services._base import check_demand, lock_demand, now, record
from linli.demands.states import EventKind
from linli.org.services import resident_get_or_create


@transaction.atomic
def demand_me_too(*, demand_id: int, phone: str, name: str = "", channel: str = "web") -> tuple[Demand, bool]:
    """Add this phone's resident to the demand; (demand, False) when they already were (or filed it)."""
    resident = resident_get_or_create(phone=phone, name=name)
    demand = lock_demand(demand_id)
    check_demand("me_too", demand)
    if demand.complainant_id == resident.pk:
        return demand, False
    supporter, created = DemandSupporter.objects.get_or_create(
        demand=demand, resident=resident, defaults={"at": now(), "channel": channel[:16]}
    )
    if not created:
        return demand, False
    demand.supporters += 1
    # not a change of the demand's handling: the version stays, so nobody's open form goes stale
    demand.save(update_fields=["supporters"])
    record(demand, EventKind.ME_TOO, new={"supporters": demand.supporters, "supporter_id": supporter.pk})
    return demand, True
