"""Reads for maps: open demands near a point (public shape), and positions of what a staff member may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count

from linli.core.clock import local_date
from linli.core.geo import box_around, distance_m
from linli.demands.models import Demand
from linli.demands.permissions import visible_demands
from linli.demands.states import HANDLING_STATUSES, DemandStatus

NEARBY_MAX_RADIUS_M = 2_000
STAFF_MAP_MAX = 5_000


@dataclass(frozen=True)
class NearbyDemand:
    """What a resident may see of someone else's demand: no text, no person, the position to about 100 m."""

    id: int
    code: str
    category: str
    community: str
    status: str
    registered_on: dt.date
    distance_m: int
    supporters: int
    latitude: float
    longitude: float


def nearby_open_demands(
    *, latitude: float, longitude: float, radius_m: int = 500, limit: int = 20
) -> list[NearbyDemand]:
    radius_m = max(50, min(int(radius_m), NEARBY_MAX_RADIUS_M))
    low_lat, high_lat, low_lng, high_lng = box_around(latitude, longitude, radius_m)
    rows = (
        Demand.objects.filter(
            status__in=HANDLING_STATUSES,
            junk=False,
            master__isnull=True,
            latitude__range=(low_lat, high_lat),
            longitude__range=(low_lng, high_lng),
        )
        .select_related("category", "community")
        .order_by("-registered_at")[:500]
    )
    found = []
    for d in rows:
        far = distance_m(latitude, longitude, float(d.latitude), float(d.longitude))
        if far <= radius_m:
            found.append(
                NearbyDemand(
                    id=d.pk,
                    code=d.code,
                    category=d.category.name if d.category_id else "",
                    community=d.community.name if d.community_id else "",
                    status=DemandStatus(d.status).label,
                    registered_on=local_date(d.registered_at),
                    distance_m=int(round(far, -1)),
                    supporters=d.supporters,
                    latitude=round(float(d.latitude), 3),
                    longitude=round(float(d.longitude), 3),
                )
            )
    found.sort(key=lambda n: (n.distance_m, -n.id))
    return found[:limit]


def staff_map_points(*, user, open_only: bool = True) -> list[dict]:
    """Positions of the demands this person may see (the most recent ``STAFF_MAP_MAX``), for the staff map."""
    qs = visible_demands(user).filter(latitude__isnull=False, longitude__isnull=False)
    if open_only:
        qs = qs.filter(status__in=HANDLING_STATUSES)
    rows = qs.order_by("-registered_at").values_list(
        "pk", "code", "latitude", "longitude", "status", "is_overdue", "supporters"
    )[:STAFF_MAP_MAX]
    return [
        {
            "id": pk,
            "code": code,
            "lat": float(lat),
            "lng": float(lng),
            "status": status,
            "overdue": overdue,
            "supporters": supporters,
        }
        for pk, code, lat, lng, status, overdue, supporters in rows
    ]


def open_counts_by_community(*, user) -> dict[str, int]:
    """Open demands per community code, of what this person may see: the map shades the boundaries by it."""
    rows = (
        visible_demands(user)
        .filter(status__in=HANDLING_STATUSES, community__isnull=False)
        .values("community__code")
        .annotate(n=Count("id"))
    )
    return {r["community__code"]: r["n"] for r in rows}
