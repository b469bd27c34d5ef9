"""Campaigns, rounds, the cadre pool and the plan of each round."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from linli.core import clock
from linli.org.selectors import jurisdiction_get, unit_get
from linli.visits.errors import AlreadyAssigned, BadInput, CadreNotFound, OutsideArea
from linli.visits.models import Cadre, CadreUnavailable, Campaign, PlanAssignment, Round
from linli.visits.permissions import access_campaign, access_round, can_plan
from linli.visits.planner import PlanCadre, cadre_area, plan_round
from linli.visits.selectors import area_communities, cadre_list
from linli.visits.services._base import record, require, text
from linli.visits.states import CadreLevel, EventKind, Subject


@transaction.atomic
def campaign_create(
    *,
    actor,
    name: str,
    area_id: int,
    starts_on: dt.date,
    ends_on: dt.date,
    evening_start: dt.time = dt.time(19, 0),
    evening_end: dt.time = dt.time(22, 0),
    team_min: int = 2,
    team_max: int = 3,
) -> Campaign:
    require(can_plan(actor))
    area = jurisdiction_get(jurisdiction_id=area_id)
    if area.level not in ("city", "district", "street"):
        raise BadInput(
            "范围须为市、区或街道", "The area must be a city, district or street", details={"area": area.name}
        )
    if ends_on < starts_on or not 2 <= team_min <= team_max <= 8:
        raise BadInput(details={"period_or_team": "invalid"})
    campaign = Campaign.objects.create(
        name=text(name, "name", max_len=100),
        area=area,
        starts_on=starts_on,
        ends_on=ends_on,
        evening_start=evening_start,
        evening_end=evening_end,
        team_min=team_min,
        team_max=team_max,
        created_by=actor if actor.pk else None,
    )
    access_campaign(actor, campaign.pk, for_write=True)  # a street office plans only on its own street
    record(
        Subject.CAMPAIGN,
        campaign.pk,
        EventKind.CREATED,
        actor=actor,
        new={"name": campaign.name, "area": area.name},
    )
    return campaign


@transaction.atomic
def round_add(*, actor, campaign_id: int, date: dt.date) -> Round:
    campaign = access_campaign(actor, campaign_id, for_write=True)
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    if not campaign.starts_on <= date <= campaign.ends_on:
        raise BadInput(
            "日期不在活动期间内", "The date is outside the campaign", details={"date": date.isoformat()}
        )
    if campaign.rounds.filter(date=date).exists():
        raise BadInput(
            "该日期已有轮次", "There is already a round on that date", details={"date": date.isoformat()}
        )
    # Rounds are numbered by date: adding an earlier evening renumbers the later ones.
    row = Round.objects.create(campaign=campaign, number=1000 + campaign.rounds.count(), date=date)
    ordered = list(campaign.rounds.order_by("date"))
    for i, r in enumerate(ordered, start=1):
        r.number = 2000 + i
        r.save(update_fields=["number"])
    for r in ordered:
        r.number -= 2000
        r.save(update_fields=["number"])
    row.refresh_from_db()
    record(
        Subject.ROUND,
        row.pk,
        EventKind.CREATED,
        actor=actor,
        new={"number": row.number, "date": date.isoformat()},
    )
    return row


@transaction.atomic
def cadre_create(
    *, actor, name: str, level: str, unit_id: int | None = None, home_area_id: int | None = None, user_id=None
) -> Cadre:
    require(can_plan(actor))
    if level not in CadreLevel.values:
        raise BadInput(details={"level": level, "allowed": list(CadreLevel.values)})
    cadre = Cadre.objects.create(
        name=text(name, "name", max_len=40),
        level=level,
        unit=unit_get(unit_id=unit_id) if unit_id else None,
        home_area=jurisdiction_get(jurisdiction_id=home_area_id) if home_area_id else None,
        user_id=user_id,
    )
    record(Subject.CADRE, cadre.pk, EventKind.CREATED, actor=actor, new={"name": cadre.name, "level": level})
    return cadre


@transaction.atomic
def cadre_unavailable_add(*, actor, cadre_id: int, date: dt.date, reason: str = "") -> CadreUnavailable:
    own = getattr(actor, "cadre", None) is not None and actor.cadre.pk == cadre_id
    require(can_plan(actor) or own)
    # a planner marks only cadres of the pool they see (their area's and those above it)
    cadre = (Cadre.objects if own else cadre_list(user=actor)).filter(pk=cadre_id).first()
    if cadre is None:
        raise CadreNotFound()
    row, created = CadreUnavailable.objects.get_or_create(
        cadre=cadre, date=date, defaults={"reason": text(reason, "reason", max_len=100, required=False)}
    )
    if created:
        record(
            Subject.CADRE,
            cadre.pk,
            EventKind.UNAVAILABLE,
            actor=actor,
            new={"date": date.isoformat()},
            note=row.reason,
        )
    return row


def _history(row: Round):
    """Loads, pairings (how often each cadre went to each community) and coverage from the campaign's other rounds."""
    load: dict[int, int] = {}
    seen: dict[tuple[int, int], int] = {}
    covered: dict[int, set[int]] = {}
    others = PlanAssignment.objects.filter(round__campaign_id=row.campaign_id).exclude(round=row)
    for cadre_id, community_id, round_id in others.values_list("cadre_id", "community_id", "round_id"):
        load[cadre_id] = load.get(cadre_id, 0) + 1
        seen[(cadre_id, community_id)] = seen.get((cadre_id, community_id), 0) + 1
        covered.setdefault(community_id, set()).add(round_id)
    return load, seen, {c: len(r) for c, r in covered.items()}


@transaction.atomic
def round_plan(*, actor, round_id: int) -> Round:
    """(Re-)plan a round: locked assignments stay; the rest is planned afresh and the gaps stored with reasons."""
    row = access_round(actor, round_id, for_write=True)
    row = Round.objects.select_for_update().get(pk=row.pk)
    campaign = row.campaign
    communities = area_communities(area=campaign.area)
    names = {c.pk: c.name for c in communities}
    paths = {c.pk: c.path for c in communities}
    PlanAssignment.objects.filter(round=row, locked=False).delete()
    locked: dict[int, list[int]] = {}
    for cadre_id, community_id in PlanAssignment.objects.filter(round=row).values_list(
        "cadre_id", "community_id"
    ):
        locked.setdefault(community_id, []).append(cadre_id)
    # a street-level cadre goes to their street, a district-level one to their district (home area, else unit)
    cadres = [
        PlanCadre(
            c.pk,
            c.level,
            c.name,
            area=cadre_area(
                level=c.level,
                home_path=c.home_area.path if c.home_area else "",
                unit_path=c.unit.jurisdiction.path if c.unit else "",
            ),
        )
        for c in Cadre.objects.filter(is_active=True).select_related("home_area", "unit__jurisdiction")
    ]
    unavailable = set(CadreUnavailable.objects.filter(date=row.date).values_list("cadre_id", flat=True))
    load, seen, covered = _history(row)
    plan = plan_round(
        date=row.date,
        communities=list(names),
        cadres=cadres,
        unavailable=unavailable,
        load=load,
        seen=seen,
        locked=locked,
        covered_before=covered,
        team_min=campaign.team_min,
        team_max=campaign.team_max,
        paths=paths,
    )
    PlanAssignment.objects.bulk_create(
        PlanAssignment(round=row, community_id=c, cadre_id=cid)
        for c, team in plan.teams.items()
        for cid in team
        if cid not in locked.get(c, [])
    )
    row.plan_gaps = [
        {"community_id": g.community_id, "community": names[g.community_id], "reason": g.reason}
        for g in plan.gaps
    ]
    row.planned_at = clock.now()
    row.save(update_fields=["plan_gaps", "planned_at"])
    record(
        Subject.ROUND,
        row.pk,
        EventKind.PLANNED,
        actor=actor,
        new={
            "covered": len(plan.teams),
            "of": len(names),
            "uncovered": [g["community"] for g in row.plan_gaps],
            "repeats": sum(1 for c, team in plan.teams.items() for cid in team if seen.get((cid, c))),
            "method": plan.method,
        },
        note=plan.note,
    )
    return row


@transaction.atomic
def plan_assignment_lock(*, actor, round_id: int, community_id: int, cadre_id: int) -> PlanAssignment:
    """Put a cadre on a community by hand; the row is locked and a re-plan keeps it."""
    row = access_round(actor, round_id, for_write=True)
    Round.objects.select_for_update().filter(pk=row.pk).first()
    if community_id not in {c.pk for c in area_communities(area=row.campaign.area)}:
        raise OutsideArea(details={"community": community_id})
    if not Cadre.objects.filter(pk=cadre_id, is_active=True).exists():
        raise CadreNotFound()
    if CadreUnavailable.objects.filter(cadre_id=cadre_id, date=row.date).exists():
        raise BadInput(
            "该干部当天不能参加",
            "The cadre cannot go on that evening",
            details={"date": row.date.isoformat()},
        )
    current = PlanAssignment.objects.filter(round=row, cadre_id=cadre_id).first()
    if current is not None and current.locked and current.community_id != community_id:
        raise AlreadyAssigned(details={"community": current.community_id})
    if current is not None and current.community_id != community_id:
        current.delete()
        current = None
    if current is None:
        current = PlanAssignment.objects.create(
            round=row, community_id=community_id, cadre_id=cadre_id, locked=True
        )
    elif not current.locked:
        current.locked = True
        current.save(update_fields=["locked"])
    record(
        Subject.ROUND,
        row.pk,
        EventKind.LOCKED,
        actor=actor,
        new={"community": community_id, "cadre": cadre_id},
    )
    return current


@transaction.atomic
def plan_assignment_unlock(*, actor, round_id: int, assignment_id: int) -> None:
    row = access_round(actor, round_id, for_write=True)
    item = PlanAssignment.objects.select_for_update().filter(round=row, pk=assignment_id).first()
    if item is None or not item.locked:
        return
    item.locked = False
    item.save(update_fields=["locked"])
    record(
        Subject.ROUND,
        row.pk,
        EventKind.UNLOCKED,
        actor=actor,
        old={"community": item.community_id, "cadre": item.cadre_id},
    )
