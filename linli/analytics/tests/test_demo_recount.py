"""Every figure recounted from the demand event log of the demo, with its own plain code, against the rollup.

The recount reads what happened (the events: who signed when, which reply
was late, what each callback said) and a few fixed facts of the rows
(registration time, the assignment's role and unit, the unit's kind). It
shares nothing with ``linli.demands.fact_selectors`` or the rollup job: if
either drifts from the formulas as they are written, a figure differs here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from django.utils import timezone

from linli.analytics.metrics import rate_definitions
from linli.analytics.selectors import metrics_compute
from linli.demands.models import Assignment, Demand, DemandEvent
from linli.org.selectors import unit_list
from linli.org.states import GRASSROOTS_UNIT_KINDS

pytestmark = pytest.mark.django_db


def recount() -> tuple[dict[str, list[int]], dict[int, dict[str, list[int]]]]:
    """(city, per handling unit) → figure → [numerator, denominator], from the events."""
    kinds = dict(unit_list().values_list("pk", "kind"))
    events = defaultdict(list)
    for e in DemandEvent.objects.order_by("at", "id").select_related("actor"):
        events[e.demand_id].append(e)
    assignments = {a.pk: a for a in Assignment.objects.all()}
    city: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    units: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))

    def add(unit_id, key, hit, counted=True):
        for target in (city, units[unit_id]) if unit_id else (city,):
            target[key][0] += int(bool(hit and counted))
            target[key][1] += int(bool(counted))

    for demand in Demand.objects.all():
        log = events[demand.pk]
        intake = next((e for e in log if e.kind == "resolved_at_intake"), None)
        handler = demand.lead_unit_id or (intake.actor.unit_id if intake and intake.actor else None)
        # Resolved: archived, and the last word since the last reopen (a callback, or the answer at intake)
        # was "resolved".
        verdict = None
        for e in log:
            if e.kind == "called_back":
                verdict = e.new["resolved"]
            elif e.kind == "resolved_at_intake":
                verdict = True
            elif e.kind == "reopened":
                verdict = None
        resolved = demand.status == "closed" and verdict is True
        add(handler, "first_contact_resolution_rate", not any(e.kind == "reopened" for e in log), resolved)
        add(handler, "community_level_resolution_rate", kinds.get(handler) in GRASSROOTS_UNIT_KINDS, resolved)
        lead_replies = [e for e in log if e.kind == "replied" and assignments[e.assignment_id].role == "lead"]
        if lead_replies and not intake:
            add(handler, "on_time_rate", all(e.new["on_time"] for e in lead_replies))
        for e in log:
            if e.kind == "called_back":
                add(handler, "resolution_rate", e.new["resolved"])
                if e.new["satisfaction"]:
                    add(handler, "satisfaction_rate", e.new["satisfaction"] in ("satisfied", "basically"))
        # Response: per assignment, to the unit it went to.
        by_assignment = defaultdict(list)
        for e in log:
            if e.assignment_id:
                by_assignment[e.assignment_id].append(e.kind)
        for a in (a for a in assignments.values() if a.demand_id == demand.pk):
            seen = by_assignment[a.pk]
            due = "signed" in seen or "sign_overdue" in seen or "returned" in seen
            on_time = any(e.kind == "signed" and e.assignment_id == a.pk and e.new["on_time"] for e in log)
            for target in (city, units[a.unit_id]):
                target["response_rate"][0] += int(due and on_time)
                target["response_rate"][1] += int(due)
    return city, units


def _span():
    first = Demand.objects.order_by("registered_at").first().registered_at
    last = Demand.objects.order_by("-registered_at").first().registered_at
    return timezone.localdate(first), timezone.localdate(last)


def fractions(m) -> dict[str, list[int]]:
    return {k: [r["numerator"], r["denominator"]] for k, r in m["rates"].items()}


def test_every_city_figure_equals_its_recount_from_the_event_log(demo):
    city, _ = recount()
    date_from, date_to = _span()
    shown = fractions(metrics_compute(date_from=date_from, date_to=date_to))
    assert set(shown) == set(rate_definitions())
    assert shown == {k: city[k] for k in shown}
    # The demo exercises every figure: none of them is an empty 0/0.
    assert all(d > 0 for _, d in shown.values()), shown


def test_every_unit_figure_equals_its_recount_and_the_city_is_the_sum_of_its_units(demo):
    city, units = recount()
    date_from, date_to = _span()
    total = defaultdict(lambda: [0, 0])
    unit_ids = list(unit_list().values_list("pk", flat=True))
    assert len(unit_ids) >= 5 and set(unit_ids) >= set(units)  # every unit with demands is compared below
    for unit_id in unit_ids:
        shown = fractions(metrics_compute(unit_id=unit_id, date_from=date_from, date_to=date_to))
        assert shown == {k: units[unit_id][k] for k in shown}, unit_id
        for k, (n, d) in shown.items():
            total[k][0] += n
            total[k][1] += d
    # Resolved demands all have a handling unit (the lead unit, or the unit of whoever answered at intake),
    # so the two resolution-based figures of the city are exactly the sums of the units'.
    for key in ("community_level_resolution_rate", "first_contact_resolution_rate", "response_rate"):
        assert total[key] == city[key], key


def test_the_demo_ends_with_a_fresh_rollup(demo):
    assert demo["rollup"]["days"] > 300
    assert metrics_compute(date_from=dt.date(2000, 1, 1), date_to=dt.date(2000, 1, 2))["as_of"] is not None
