"""Who may do what with night visits, with the existing roles (no new ones).

- **Plan** (campaigns, rounds, the cadre pool, the plan, designations): the
  coordination office, admins, and staff of a street office (handler or
  supervisor) for campaigns on their own street. District staff who plan a
  district-wide campaign sign in as coordination office of that district.
- **Record a visit**: a cadre linked to the signed-in account who is on the
  round's plan (or any cadre account, since teams change on the night), a
  community worker for their own community, and every planner.
- **Meetings**: planners convene and edit them; the staff of an action
  item's owner unit see it on 协调会事项 and mark it done.
- **Refer a demand to a meeting**: planners and dispatchers ("needs several
  units" is a dispatch judgement), and the community worker of the demand's
  community.
- **Read** campaign pages and the report: planners and leaders; the visit log
  pages: whoever may record.

What a user may not see is answered 404, like the demands app.
"""

from __future__ import annotations

from django.db.models import Q

from linli.org.selectors import community_get
from linli.org.states import Role, UnitKind
from linli.visits.errors import (
    ActionItemNotFound,
    CampaignNotFound,
    MeetingNotFound,
    NotAllowed,
    RoundNotFound,
)
from linli.visits.models import ActionItem, Campaign, Meeting, Round

AREA_PLANNERS = (Role.COORDINATION_OFFICE, Role.ADMIN)
STREET_STAFF = (Role.UNIT_HANDLER, Role.UNIT_SUPERVISOR)


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def is_street_staff(user) -> bool:
    return (
        _signed_in(user)
        and user.role in STREET_STAFF
        and bool(user.unit_id)
        and (user.unit.kind == UnitKind.STREET_OFFICE)
    )


def can_plan(user) -> bool:
    return _signed_in(user) and (user.role in AREA_PLANNERS or is_street_staff(user))


def can_read_report(user) -> bool:
    return can_plan(user) or (_signed_in(user) and user.role == Role.LEADER)


def has_cadre(user) -> bool:
    return _signed_in(user) and hasattr(user, "cadre") and user.cadre.is_active


def can_record(user) -> bool:
    return can_plan(user) or has_cadre(user) or (_signed_in(user) and user.role == Role.COMMUNITY_WORKER)


def can_refer(user) -> bool:
    return can_plan(user) or (_signed_in(user) and user.role in (Role.DISPATCHER, Role.COMMUNITY_WORKER))


def _area_ok(user, area) -> bool:
    """The area is inside what this user plans for: the user's jurisdiction, or the street of their street office."""
    if user.role in AREA_PLANNERS:
        return user.jurisdiction_id is None or area.path.startswith(user.jurisdiction.path)
    if is_street_staff(user):
        return area.path.startswith(user.unit.jurisdiction.path)
    return False


def campaign_visible(user, campaign: Campaign) -> bool:
    if can_plan(user) and _area_ok(user, campaign.area):
        return True
    if _signed_in(user) and user.role == Role.LEADER:
        return user.jurisdiction_id is None or campaign.area.path.startswith(user.jurisdiction.path)
    return False


def access_campaign(user, campaign_id: int, *, for_write: bool = False) -> Campaign:
    campaign = Campaign.objects.select_related("area").filter(pk=campaign_id).first()
    if campaign is None or not campaign_visible(user, campaign):
        raise CampaignNotFound()
    if for_write and not can_plan(user):
        raise NotAllowed()
    return campaign


def _campaign_covers(community) -> bool:
    """Some campaign's area holds this community (paths are ``/code/…/``, so its ancestors are its prefixes)."""
    parts = [p for p in community.path.split("/") if p]
    prefixes = ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]
    return Campaign.objects.filter(area__path__in=prefixes).exists()


def may_log_visit_in(user, community) -> bool:
    """Who may log a visit in this community, and so register its issues as night-visit demands in their
    own name: a planner inside the area they plan for, a cadre in any community a campaign covers (teams
    change on the night), a community worker in the community of their committee."""
    if not can_record(user):
        return False
    if can_plan(user) and _area_ok(user, community):
        return True
    if has_cadre(user) and _campaign_covers(community):
        return True
    return bool(
        user.role == Role.COMMUNITY_WORKER and user.unit_id and user.unit.jurisdiction_id == community.pk
    )


community_recordable = may_log_visit_in


def round_visible(user, row: Round, *, for_visit: bool = False) -> bool:
    if for_visit and can_record(user) and not can_plan(user):
        # cadres open any round's visit log (teams change on the night); a community worker only a round
        # of a campaign over their community. The community itself is checked again on submit.
        own = own_community_id(user)
        return has_cadre(user) or (own is not None and _community_in(own, row.campaign.area))
    return campaign_visible(user, row.campaign)


def access_round(user, round_id: int, *, for_write: bool = False, for_visit: bool = False) -> Round:
    row = Round.objects.select_related("campaign", "campaign__area").filter(pk=round_id).first()
    if row is None or not round_visible(user, row, for_visit=for_visit):
        raise RoundNotFound()
    if for_write and not can_plan(user):
        raise NotAllowed()
    return row


def own_community_id(user) -> int | None:
    """The community or village of a community worker's committee."""
    if not (_signed_in(user) and user.role == Role.COMMUNITY_WORKER):
        return None
    if user.unit_id:
        return user.unit.jurisdiction_id
    return user.jurisdiction_id


def _community_in(community_id: int, area) -> bool:
    return community_get(community_id=community_id).path.startswith(area.path)


# --- meetings and action items: whose area -------------------------------------------------------------
#
# A meeting belongs to the area of its community, else of its campaign, else of the unit that convened it
# (a meeting with none of these is city-level). Users see the meetings of their area (the city-level staff
# see all), plus those their own unit convened, attended or owns an action item of. Planners write only
# in the area they plan for.

READ_AREA_ROLES = (Role.COORDINATION_OFFICE, Role.ADMIN, Role.LEADER, Role.DISPATCHER)


def area_path_of(user) -> str | None:
    """The path under which this user reads meetings: "" for the whole city, None for no area at all."""
    if not _signed_in(user):
        return None
    if user.role in READ_AREA_ROLES:
        return user.jurisdiction.path if user.jurisdiction_id else ""
    if is_street_staff(user):
        return user.unit.jurisdiction.path
    if user.role == Role.COMMUNITY_WORKER:
        own = own_community_id(user)
        return community_get(community_id=own).path if own else None
    return None


def meeting_area_path(meeting: Meeting) -> str:
    if meeting.community is not None:
        return meeting.community.path
    if meeting.campaign is not None:
        return meeting.campaign.area.path
    if meeting.convened_by is not None:
        return meeting.convened_by.jurisdiction.path
    return ""


def meeting_visibility_q(user) -> Q | None:
    """A filter on Meeting for what this user may read; None means every meeting."""
    if not (_signed_in(user) and (can_refer(user) or user.role == Role.LEADER or user.unit_id)):
        return Q(pk__in=[])
    path = area_path_of(user) if (can_refer(user) or user.role == Role.LEADER) else None
    if path == "":
        return None
    q = Q(pk__in=[])
    if path is not None:
        q = (
            Q(community__path__startswith=path)
            | Q(community__isnull=True, campaign__area__path__startswith=path)
            | Q(
                community__isnull=True,
                campaign__isnull=True,
                convened_by__jurisdiction__path__startswith=path,
            )
        )
    if user.unit_id:
        q |= (
            Q(convened_by_id=user.unit_id)
            | Q(units=user.unit_id)
            | Q(action_items__owner_unit_id=user.unit_id)
        )
    return q


def _participates(user, meeting: Meeting) -> bool:
    return bool(
        _signed_in(user)
        and user.unit_id
        and (
            meeting.convened_by_id == user.unit_id
            or meeting.units.filter(pk=user.unit_id).exists()
            or meeting.action_items.filter(owner_unit_id=user.unit_id).exists()
        )
    )


def meeting_visible(user, meeting: Meeting) -> bool:
    if not _signed_in(user):
        return False
    if can_refer(user) or user.role == Role.LEADER:
        path = area_path_of(user)
        if path is not None and meeting_area_path(meeting).startswith(path):
            return True
    return _participates(user, meeting)


def meeting_writable(user, meeting: Meeting) -> bool:
    """Planners convene and edit meetings of the area they plan for (a city-level meeting: city planners)."""
    if not can_plan(user):
        return False
    path = meeting_area_path(meeting)
    if user.role in AREA_PLANNERS:
        return user.jurisdiction_id is None or bool(path) and path.startswith(user.jurisdiction.path)
    return bool(path) and path.startswith(user.unit.jurisdiction.path)


def _ancestors(path: str) -> list[str]:
    """``/a/b/c/`` → ``["/a/", "/a/b/", "/a/b/c/"]``: the paths of an area and of every area above it."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


def plan_path(user) -> str | None:
    """The area a planner plans for: "" for the whole city, None for someone who does not plan."""
    if not can_plan(user):
        return None
    if user.role in AREA_PLANNERS:
        return user.jurisdiction.path if user.jurisdiction_id else ""
    return user.unit.jurisdiction.path


def cadre_visibility_q(user) -> Q | None:
    """The cadres a planner sees in the pool: those of units or home areas inside the area they plan for or
    above it (city and district cadres go down to every street), and those attached to no area; city-level
    planners see all. None means every cadre."""
    path = plan_path(user)
    if path is None:
        return Q(pk__in=[])
    if path == "":
        return None
    above = _ancestors(path)
    return (
        Q(unit__jurisdiction__path__startswith=path)
        | Q(home_area__path__startswith=path)
        | Q(unit__jurisdiction__path__in=above)
        | Q(home_area__path__in=above)
        | Q(unit__isnull=True, home_area__isnull=True)
    )


def designation_visibility_q(user) -> Q | None:
    """Designations of compounds in the reader's area (a unit without an area: its unit's jurisdiction), and
    those the reader's unit made; city-level readers see all. None means every designation."""
    if not _signed_in(user):
        return Q(pk__in=[])
    path = area_path_of(user)
    if path is None and user.unit_id:
        path = user.unit.jurisdiction.path
    if path == "":
        return None
    q = Q(pk__in=[])
    if path is not None:
        q |= Q(community__path__startswith=path)
    if user.unit_id:
        q |= Q(by_unit_id=user.unit_id)
    return q


def area_plannable(user, area) -> bool:
    """A new meeting, designation or visit place inside the area this planner plans for."""
    return can_plan(user) and _area_ok(user, area)


def access_meeting(user, meeting_id: int, *, for_write: bool = False) -> Meeting:
    meeting = (
        Meeting.objects.select_related(
            "community", "convened_by", "convened_by__jurisdiction", "campaign", "campaign__area"
        )
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None or not meeting_visible(user, meeting):
        raise MeetingNotFound()
    if for_write and not meeting_writable(user, meeting):
        raise NotAllowed()
    return meeting


def access_action_item(user, item_id: int, *, for_write: bool = False) -> ActionItem:
    """Read: whoever sees the meeting, or the owner unit. Write (done / reopen): the owner unit's staff, or a
    planner of the meeting's area."""
    item = (
        ActionItem.objects.select_related(
            "meeting",
            "owner_unit",
            "meeting__community",
            "meeting__campaign__area",
            "meeting__convened_by__jurisdiction",
        )
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise ActionItemNotFound()
    own = _signed_in(user) and user.unit_id == item.owner_unit_id
    if for_write:
        if not (own or meeting_writable(user, item.meeting)):
            raise ActionItemNotFound()
    elif not (own or meeting_visible(user, item.meeting)):
        raise ActionItemNotFound()
    return item


def visit_visible(user, visit) -> bool:
    """A visit: its recorder, a planner of its area, whoever may log visits in its community."""
    return bool(
        _signed_in(user)
        and (
            visit.recorded_by_id == user.pk
            or area_plannable(user, visit.community)
            or may_log_visit_in(user, visit.community)
        )
    )
