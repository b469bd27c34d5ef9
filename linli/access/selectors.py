"""Every read of the access app that a page, the API or a report uses."""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import Count, Max, Min, Q, QuerySet

from linli.access.errors import VersionNotFound
from linli.access.matching import Matcher, bigrams, normalise
from linli.access.models import (
    AccessRequest,
    CatalogueItem,
    CatalogueVersion,
    Certificate,
    CertificateIssue,
    Plaque,
    PlaqueType,
    RequestEvent,
    Task,
)
from linli.access.states import CertificateList, RequestStatus, TaskStatus, VersionStatus
from linli.core import clock
from linli.core.calendar import working_days_between
from linli.core.textsim import fold

DIFF_FIELDS = [
    "name",
    "kind",
    "basis",
    "department_label",
    "method",
    "funding",
    "applies_to",
    "keywords",
    "description",
    "effective_from",
    "effective_to",
]
_matchers: dict[tuple, Matcher] = {}


def catalogue_current(*, on: dt.date | None = None) -> CatalogueVersion | None:
    """The published version in force on a day (today by default)."""
    day = on or clock.today()
    return (
        CatalogueVersion.objects.filter(status=VersionStatus.PUBLISHED, effective_from__lte=day)
        .order_by("-effective_from", "-number")
        .first()
    )


def catalogue_first(*, since: dt.date, until: dt.date) -> CatalogueVersion | None:
    """The first published version to come into force between two days (both included)."""
    return (
        CatalogueVersion.objects.filter(
            status=VersionStatus.PUBLISHED, effective_from__gte=since, effective_from__lte=until
        )
        .order_by("effective_from", "number")
        .first()
    )


def matcher_for(version: CatalogueVersion) -> Matcher:
    """The matcher of a published version (immutable, so built once per process).

    Keyed by id, publication time and the span of item ids, so a database
    rebuilt under the same process (tests, a reloaded demo) never meets
    another catalogue's matcher.
    """
    span = version.items.aggregate(first=Min("id"), last=Max("id"), n=Count("id"))
    key = (version.pk, version.published_at, span["first"], span["last"], span["n"])
    if key not in _matchers:
        if len(_matchers) > 16:
            _matchers.clear()
        items = version.items.values("id", "code", "name", "kind", "applies_to", "keywords", "description")
        _matchers[key] = Matcher(list(items))
    return _matchers[key]


def version_list() -> QuerySet[CatalogueVersion]:
    return (
        CatalogueVersion.objects.select_related("published_by")
        .annotate(item_count=Count("items"))
        .order_by("-number")
    )


def version_get(*, number: int) -> CatalogueVersion:
    version = CatalogueVersion.objects.filter(number=number).first()
    if version is None:
        raise VersionNotFound(details={"number": number})
    return version


def item_list(*, version: CatalogueVersion, kind: str | None = None, q: str = "") -> QuerySet[CatalogueItem]:
    items = version.items.select_related("department").order_by("code")
    if kind:
        items = items.filter(kind=kind)
    if q:
        items = items.filter(Q(name__icontains=q) | Q(keywords__icontains=q) | Q(code__icontains=q))
    return items


def catalogue_diff(*, old: CatalogueVersion, new: CatalogueVersion) -> dict:
    """Items added, removed and changed (with the changed fields, old and new values) from one version to another."""
    a = {i.code: i for i in item_list(version=old)}
    b = {i.code: i for i in item_list(version=new)}
    changed = []
    for code in sorted(a.keys() & b.keys()):
        fields = [
            {"field": f, "label": _label(f), "old": _value(a[code], f), "new": _value(b[code], f)}
            for f in DIFF_FIELDS
            if _value(a[code], f) != _value(b[code], f)
        ]
        if fields:
            changed.append({"code": code, "name": b[code].name, "fields": fields})
    return {
        "old": old.number,
        "new": new.number,
        "added": [_brief(b[c]) for c in sorted(b.keys() - a.keys())],
        "removed": [_brief(a[c]) for c in sorted(a.keys() - b.keys())],
        "changed": changed,
    }


def _label(field: str) -> str:
    if field == "department_label":
        return "责任部门"
    return str(getattr(CatalogueItem._meta.get_field(field), "verbose_name", field))


def _value(item: CatalogueItem, field: str) -> str:
    value = getattr(item, field)
    return "" if value is None else str(value)


def _brief(item: CatalogueItem) -> dict:
    return {"code": item.code, "name": item.name, "kind": item.kind, "kind_label": item.get_kind_display()}


def plaque_type_find(name: str) -> PlaqueType | None:
    name = (name or "").strip()
    return PlaqueType.objects.filter(name=name).first() if name else None


def plaque_type_list() -> QuerySet[PlaqueType]:
    return PlaqueType.objects.order_by("name")


def request_list(*, department_id: int | None = None, status: str | None = None) -> QuerySet[AccessRequest]:
    qs = AccessRequest.objects.select_related("department", "item").annotate(
        refusals=Count("tasks", filter=Q(tasks__status=TaskStatus.REFUSED)), targets=Count("tasks")
    )
    if department_id:
        qs = qs.filter(department_id=department_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-filed_at", "-pk")


def approval_queue(*, user) -> QuerySet[AccessRequest]:
    """Requests awaiting the coordination office of this user's area, the most urgent first."""
    from linli.access.permissions import request_visibility_q

    qs = request_list(status=RequestStatus.PENDING)
    q = request_visibility_q(user)
    if q is not None:
        qs = qs.filter(pk__in=AccessRequest.objects.filter(q).values("pk"))
    return qs.order_by("approval_due", "pk")


def countdown(req: AccessRequest) -> int | None:
    """Working days left before the approval limit (negative once it has passed)."""
    if req.status != RequestStatus.PENDING or req.approval_due is None:
        return None
    today = clock.today()
    due = clock.local_date(req.approval_due)
    if due >= today:
        return working_days_between(today, due)
    return -working_days_between(due, today)


def request_events(*, request: AccessRequest) -> QuerySet[RequestEvent]:
    return request.events.select_related("actor").order_by("at", "pk")


def request_tasks(*, request: AccessRequest) -> QuerySet[Task]:
    return request.tasks.select_related("community").order_by("community__code")


def task_inbox(*, community_id: int, tab: str = "open") -> QuerySet[Task]:
    qs = Task.objects.select_related("request", "request__department", "request__item").filter(
        community_id=community_id
    )
    if tab == "open":
        qs = qs.filter(status__in=[TaskStatus.ADMITTED, TaskStatus.AWAITING])
    elif tab == "closed":
        qs = qs.exclude(status__in=[TaskStatus.ADMITTED, TaskStatus.AWAITING])
    return qs.order_by("status", "request__deadline", "-pk")


def plaque_list(*, community_id: int | None = None, current: bool | None = None) -> QuerySet[Plaque]:
    qs = Plaque.objects.select_related("community", "standard", "removed_by")
    if community_id:
        qs = qs.filter(community_id=community_id)
    if current is not None:
        qs = qs.filter(removed_at__isnull=current)
    return qs.order_by("community__code", "removed_at", "name")


def certificate_list(*, listed: str | None = None) -> QuerySet[Certificate]:
    qs = Certificate.objects.all()
    return qs.filter(listed=listed) if listed else qs


def certificate_lookup(*, query: str, limit: int = 5) -> list[dict]:
    """Certificates closest to what a resident typed: exact names and aliases first, then shared bigrams."""
    text = fold(query)[:60]
    if not text:
        return []
    grams = _lookup_grams(text)
    scored = []
    for cert in Certificate.objects.all():
        names = [cert.name, *[a for a in re.split(r"[、,，;；\s]+", cert.aliases) if a]]
        if any(n.lower() in text or text in n.lower() for n in names):
            score = 1.0
        else:
            best = 0.0
            for n in names:
                g = _lookup_grams(n)
                if g and grams:
                    best = max(best, len(g & grams) / len(g | grams))
            score = best
        if score >= 0.2:
            scored.append((score, cert))
    scored.sort(key=lambda t: (-t[0], t[1].listed != CertificateList.NEGATIVE, t[1].name))
    return [
        {
            "name": c.name,
            "issuable": c.listed == CertificateList.POSITIVE,
            "where_to_go": c.where_to_go,
            "basis": c.basis,
            "score": round(s, 2),
        }
        for s, c in scored[:limit]
    ]


# Words every request for a certificate has; they say nothing about which one.
_LOOKUP_NOISE = ("证明", "开具", "我要", "需要", "办理", "一个", "一份", "怎么", "开")


def _lookup_grams(text: str) -> set[str]:
    text = normalise(text)
    for word in _LOOKUP_NOISE:
        text = text.replace(word, "|")
    return set(bigrams(text))


def certificate_issues(*, community_id: int) -> QuerySet[CertificateIssue]:
    return (
        CertificateIssue.objects.select_related("certificate", "issued_by")
        .filter(community_id=community_id)
        .order_by("-issued_at")
    )
