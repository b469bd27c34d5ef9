"""The night-visit part of the demo: the 翠湖街道 campaign, the riders' visit, meeting and designation."""

import pytest

from linli.core import clock
from linli.visits.models import ActionItem, Campaign, Designation, Meeting, Visit, VisitIssue
from linli.visits.report import campaign_report


@pytest.mark.django_db
def test_every_round_covers_every_community_of_the_street_with_mixed_teams(demo):
    campaign = Campaign.objects.get(area__code="359703001")
    report = campaign_report(campaign=campaign)
    assert report["rounds_held"] == report["rounds_total"] >= 20
    assert report["communities_covered"] == report["communities_total"] == 3
    assert all(r.plan_gaps == [] for r in campaign.rounds.all())
    visits = list(Visit.objects.filter(round__campaign=campaign).prefetch_related("team"))
    assert len(visits) >= report["rounds_held"]
    for visit in visits:
        levels = {c.level for c in visit.team.all()}
        assert "street" in levels and levels & {"city", "district"}


@pytest.mark.django_db
def test_the_riders_night_visit_leads_to_the_meeting_and_the_designation(demo):
    meeting = Meeting.objects.get(topic__contains="骑手")
    assert clock.local_date(meeting.held_at).isoformat() > demo["riders_night_visit"]
    riders = VisitIssue.objects.filter(
        visit__round__date=demo["riders_night_visit"], visit__community__code="359703001001"
    )
    assert riders.count() >= 3
    assert set(meeting.referrals.values_list("demand_id", flat=True)) == set(
        riders.values_list("demand_id", flat=True)
    )
    items = ActionItem.objects.filter(meeting=meeting)
    assert items.filter(status="done").count() == 3
    assert sum(item.is_overdue() for item in items) == 1
    assert Designation.objects.filter(compound="五洲花苑", title="骑手友好示范小区", meeting=meeting).exists()
    assert any("骑手协调会" in line for line in demo["extra"])
