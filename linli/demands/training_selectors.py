"""Reads of demands for the dispatch app's training, index upkeep and quality report.

The dispatch app may not import the demands app (it sits below it); ``DemandsConfig.ready`` hands this
module to it as its ``linli.dispatch.sources.DemandSource``, and it reads what it needs here as plain values.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from linli.demands.models import Assignment, Demand
from linli.demands.states import OPEN_STATUSES, AssignmentRole, AssignmentStatus, DemandStatus
from linli.dispatch.types import TrainingDemand

FINISHED_STATUSES = (DemandStatus.REPLIED, DemandStatus.CALLED_BACK, DemandStatus.CLOSED)


def training_demands(
    *,
    include_ids: Iterable[int] = (),
    batch: int = 2000,
    registered_before=None,
    registered_from=None,
    finished_only: bool = True,
) -> Iterator[TrainingDemand]:
    """Finished demands with a category (their final category and units are the truth), plus ``include_ids``.

    Streams in id order, ``batch`` demands at a time, with their assisting units; only demands
    registered in ``[registered_from, registered_before)`` when given. ``finished_only=False``: every
    demand with a category and a lead unit (for scoring a model on demands after a cut-off).
    """
    extra = list(include_ids)
    qs = Demand.objects.filter(category__isnull=False).exclude(lead_unit__isnull=True)
    if registered_before is not None:
        qs = qs.filter(registered_at__lt=registered_before)
    if registered_from is not None:
        qs = qs.filter(registered_at__gte=registered_from)
    if finished_only:
        qs = (
            qs.filter(status__in=FINISHED_STATUSES) | qs.filter(pk__in=extra)
            if extra
            else qs.filter(status__in=FINISHED_STATUSES)
        )
    last = 0
    while True:
        rows = list(
            qs.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "title", "text", "category__full_name", "lead_unit_id", "community_id")[:batch]
        )
        if not rows:
            return
        assisting: dict[int, list[int]] = defaultdict(list)
        for demand_id, unit_id in (
            Assignment.objects.filter(demand_id__in=[r[0] for r in rows], role=AssignmentRole.ASSISTING)
            .exclude(status=AssignmentStatus.CANCELLED)
            .values_list("demand_id", "unit_id")
        ):
            assisting[demand_id].append(unit_id)
        for pk, title, text, path, lead, community in rows:
            yield TrainingDemand(pk, title, text, path, lead, tuple(sorted(set(assisting[pk]))), community)
        last = rows[-1][0]


def finished_demand_count() -> int:
    """Finished demands with a category and a lead unit: what the dispatch model can learn from."""
    return (
        Demand.objects.filter(category__isnull=False, status__in=FINISHED_STATUSES)
        .exclude(lead_unit__isnull=True)
        .count()
    )


def is_open_status(status: str) -> bool:
    """Whether a demand in this status is still open (an ``index_rows`` row carries the status)."""
    return status in OPEN_STATUSES


def open_demand_ids(*, ids: Iterable[int]) -> set[int]:
    """Which of these demands are still open (not closed, merged, invalid or withdrawn)."""
    ids = list(ids)
    if not ids:
        return set()
    return set(Demand.objects.filter(pk__in=ids, status__in=list(OPEN_STATUSES)).values_list("pk", flat=True))


def returned_demand_ids(*, ids: Iterable[int]) -> set[int]:
    """Which of these demands were returned (退单) at least once."""
    ids = list(ids)
    if not ids:
        return set()
    return set(Demand.objects.filter(pk__in=ids, return_count__gt=0).values_list("pk", flat=True))


def index_rows(*, after_id: int = 0, batch: int = 5000) -> list[tuple]:
    """Demands for (re)building the dispatch index, in id order: id, code, title, text, community, street,
    registered_at, open, complainant, category."""
    return list(
        Demand.objects.filter(pk__gt=after_id)
        .order_by("pk")
        .values_list(
            "pk",
            "code",
            "title",
            "text",
            "community_id",
            "community__parent_id",
            "registered_at",
            "status",
            "complainant_id",
            "category_id",
        )[:batch]
    )
