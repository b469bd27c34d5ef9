"""Reads of the work-order desk: the callback worklist and what the resident may see of the handling."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from linli.core.errors import NotFound
from linli.core.models import Attachment
from linli.demands.models import Demand, DemandEvent, ExportJob, SavedFilter
from linli.demands.permissions import visible_demands
from linli.demands.states import AssignmentRole, DemandStatus, EventKind
from linli.org import permissions as org_perms


def callback_worklist(*, user) -> QuerySet[Demand]:
    """Replied demands waiting for their callback, oldest deadline first, with the unanswered calls counted.

    Only those who call back (hotline agents, dispatchers) have a worklist; for anyone else it is empty.
    """
    if not org_perms.can_callback(user):
        return Demand.objects.none()
    return (
        visible_demands(user)
        .filter(status=DemandStatus.REPLIED)
        .select_related("lead_unit", "community", "complainant")
        .annotate(unreachable=Count("events", filter=Q(events__kind=EventKind.CALLBACK_UNREACHABLE)))
        .order_by("callback_due", "replied_at", "id")
    )


@dataclass(frozen=True)
class PublicNote:
    at: object
    unit: str
    note: str


@dataclass(frozen=True)
class PublicProgress:
    handling_unit: str
    finish_due: object
    notes: list[PublicNote]


def public_progress(*, demand: Demand) -> PublicProgress:
    """For the resident's tracking page: who handles it, by when, and the notes its handlers made public."""
    lead = (
        demand.assignments.filter(role=AssignmentRole.LEAD)
        .select_related("unit")
        .order_by("-dispatched_at")
        .first()
    )
    in_hand = demand.status in (DemandStatus.DISPATCHED, DemandStatus.IN_PROGRESS)
    events = DemandEvent.objects.filter(demand=demand, kind=EventKind.PROGRESS, new__public=True).order_by(
        "at", "id"
    )
    return PublicProgress(
        handling_unit=lead.unit.name if lead else "",
        finish_due=demand.finish_due if in_hand else None,
        notes=[PublicNote(at=e.at, unit=(e.new or {}).get("unit", ""), note=e.note) for e in events],
    )


def progress_files(*, demand: Demand) -> dict[int, list[Attachment]]:
    """The files of each progress note of a demand, by the note's event id (the note names its files)."""
    events = [e for e in demand.events.all() if e.kind == EventKind.PROGRESS and (e.new or {}).get("files")]
    if not events:
        return {}
    rows = {
        a.pk: a
        for a in Attachment.objects.filter(
            subject_type="demand_progress",
            subject_id__in=demand.assignments.values("pk"),
            pk__in=[pk for e in events for pk in e.new["files"]],
        )
    }
    return {e.pk: [rows[pk] for pk in e.new["files"] if pk in rows] for e in events}


def export_job_get(*, user, job_id: int) -> ExportJob:
    """A background export of this person's (anyone else's is not found)."""
    job = ExportJob.objects.filter(pk=job_id, user=user).first()
    if job is None:
        raise NotFound(details={"export": job_id})
    return job


def export_job_list(*, user) -> QuerySet[ExportJob]:
    return ExportJob.objects.filter(user=user).order_by("-created_at", "-id")[:20]


def saved_filter_list(*, user) -> QuerySet[SavedFilter]:
    """This person's saved filters of the demand list, by name."""
    return SavedFilter.objects.filter(user=user).order_by("name", "id")
