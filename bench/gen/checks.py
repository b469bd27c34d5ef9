"""The invariant queries run after the load."""

from __future__ import annotations

from .rows import ACTIVE


def invariant_checks() -> dict[str, int]:
    """Rows that break what the services guarantee; every count must be 0."""
    from django.db.models import Count, Exists, OuterRef

    from linli.demands.models import Assignment, Callback, Demand, DemandEvent

    active = list(ACTIVE)
    lead = Assignment.objects.filter(demand=OuterRef("pk"), role="lead")
    return {
        "handling_without_its_active_lead": Demand.objects.filter(status__in=["dispatched", "in_progress"])
        .filter(
            ~Exists(
                lead.filter(
                    status__in=active, unit_id=OuterRef("lead_unit_id"), finish_due=OuterRef("finish_due")
                )
            )
        )
        .count(),
        "final_with_active_assignment": Demand.objects.filter(
            status__in=["closed", "invalid", "withdrawn", "merged"]
        )
        .filter(Exists(Assignment.objects.filter(demand=OuterRef("pk"), status__in=active)))
        .count(),
        "several_active_leads": Assignment.objects.filter(role="lead", status__in=active)
        .values("demand_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count(),
        "resolved_without_callback": Demand.objects.filter(
            status="closed", resolved=True, resolved_at_intake=False
        )
        .filter(~Exists(Callback.objects.filter(demand=OuterRef("pk"))))
        .count(),
        "overdue_without_stamp": Demand.objects.filter(is_overdue=True)
        .filter(~Exists(lead.filter(finish_overdue_at__isnull=False)))
        .count(),
        "without_registered_event": Demand.objects.filter(
            ~Exists(DemandEvent.objects.filter(demand=OuterRef("pk"), kind="registered"))
        ).count(),
    }
