"""Postings of instructors and first secretaries, volunteers, teams and their members."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction

from linli.empower.errors import BadInput
from linli.empower.models import Posting, Team, TeamMember, Volunteer
from linli.empower.permissions import access_team, access_volunteer, can_manage, manages_community
from linli.empower.services._base import period, phone, record, require, text
from linli.empower.states import Band, EventKind, PartnerUnit, PostingKind
from linli.org.selectors import community_get, unit_get
from linli.org.states import Role


def _availability(slots: Sequence[str]) -> list[str]:
    """ "weekday:band" strings, Monday is 0: bad ones are refused, duplicates dropped, the rest sorted."""
    out = set()
    for raw in slots:
        day, _, band = str(raw).partition(":")
        if not (day.isdigit() and 0 <= int(day) <= 6 and band in Band.values):
            raise BadInput(
                "可服务时段格式不对", "An availability slot is not valid", details={"availability": raw}
            )
        out.add(f"{int(day)}:{band}")
    return sorted(out)


@transaction.atomic
def posting_create(
    *,
    actor,
    kind: str,
    cadre_name: str,
    home_unit_id: int,
    community_id: int,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    rank: str = "",
    tasks: Sequence[str] = (),
    user_id: int | None = None,
) -> Posting:
    """Postings are entered by the coordination office (who sends cadres down) or an admin."""
    require(bool(actor and actor.is_authenticated and actor.role in (Role.COORDINATION_OFFICE, Role.ADMIN)))
    if kind not in PostingKind.values:
        raise BadInput(details={"kind": kind})
    period(starts_on, ends_on)
    community = community_get(community_id=community_id)
    if (
        actor.role != Role.ADMIN
        and actor.jurisdiction_id
        and not community.path.startswith(actor.jurisdiction.path)
    ):
        require(False)
    posting = Posting.objects.create(
        kind=kind,
        cadre_name=text(cadre_name, "cadre_name", max_len=40),
        rank=text(rank, "rank", max_len=40, required=False),
        home_unit=unit_get(unit_id=home_unit_id),
        community=community,
        starts_on=starts_on,
        ends_on=ends_on,
        tasks=[text(t, "tasks", max_len=60) for t in tasks],
        user_id=user_id,
    )
    record(
        "posting",
        posting.pk,
        EventKind.CREATED,
        actor=actor,
        new={"cadre": posting.cadre_name, "tasks": posting.tasks},
    )
    return posting


@transaction.atomic
def volunteer_create(
    *,
    actor,
    name: str,
    phone_number: str,
    community_id: int,
    consent_on: dt.date,
    skills: str = "",
    availability: Sequence[str] = (),
    user_id: int | None = None,
) -> Volunteer:
    community = community_get(community_id=community_id)
    require(can_manage(actor) and manages_community(actor, community.pk))
    number = phone(phone_number)
    if Volunteer.objects.filter(community=community, phone=number).exists():
        raise BadInput(
            "该电话已登记为本社区志愿者",
            "This phone is already registered in the community",
            code="empower.volunteer_exists",
            details={"phone": "exists"},
        )
    volunteer = Volunteer.objects.create(
        name=text(name, "name", max_len=40),
        phone=number,
        community=community,
        consent_on=consent_on,
        skills=text(skills, "skills", max_len=200, required=False),
        availability=_availability(availability),
        user_id=user_id,
    )
    record(
        "volunteer",
        volunteer.pk,
        EventKind.CREATED,
        actor=actor,
        new={"name": volunteer.name, "availability": volunteer.availability},
    )
    return volunteer


@transaction.atomic
def volunteer_availability_set(*, actor, volunteer_id: int, availability: Sequence[str]) -> Volunteer:
    volunteer = access_volunteer(actor, volunteer_id, for_write=True)
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    old = volunteer.availability
    volunteer.availability = _availability(availability)
    volunteer.save(update_fields=["availability"])
    record(
        "volunteer",
        volunteer.pk,
        EventKind.CHANGED,
        actor=actor,
        old={"availability": old},
        new={"availability": volunteer.availability},
    )
    return volunteer


@transaction.atomic
def team_create(
    *,
    actor,
    name: str,
    community_id: int,
    school: str = "",
    keywords: str = "",
    patrol_began_on: dt.date | None = None,
    min_gap_minutes: int = 120,
    max_shifts_per_week: int = 3,
) -> Team:
    community = community_get(community_id=community_id)
    require(can_manage(actor) and manages_community(actor, community.pk))
    if not (0 <= min_gap_minutes <= 24 * 60 and 1 <= max_shifts_per_week <= 14):
        raise BadInput(details={"rules": "out of range"})
    team = Team.objects.create(
        name=text(name, "name", max_len=80),
        community=community,
        school=text(school, "school", max_len=80, required=False),
        keywords=text(keywords, "keywords", max_len=200, required=False),
        patrol_began_on=patrol_began_on,
        min_gap_minutes=min_gap_minutes,
        max_shifts_per_week=max_shifts_per_week,
    )
    record("team", team.pk, EventKind.CREATED, actor=actor, new={"name": team.name})
    return team


@transaction.atomic
def team_member_add(*, actor, team_id: int, volunteer_id: int, partner: str) -> TeamMember:
    team = access_team(actor, team_id, for_write=True)
    volunteer = access_volunteer(actor, volunteer_id, for_write=True)
    if partner not in PartnerUnit.values:
        raise BadInput(details={"partner": partner})
    member, created = TeamMember.objects.get_or_create(
        team=team, volunteer=volunteer, defaults={"partner": partner}
    )
    if created:
        record(
            "team", team.pk, EventKind.CHANGED, actor=actor, new={"member": volunteer.pk, "partner": partner}
        )
    return member
