"""The programs demo on the test world: the camp had a waitlist and promoted from it; the class is open."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from linli.programs.demo import programs_demo_load
from linli.programs.models import Program, ProgramsEvent, SignUp

pytestmark = pytest.mark.django_db


def test_the_demo_camp_filled_up_and_moved_families_up_from_the_waitlist(world):
    end = dt.datetime(2026, 12, 2, 18, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    lines = programs_demo_load(organiser=world.user("worker"), community_id=world.community.pk, end=end)
    camp = Program.objects.get(kind="camp")
    assert camp.title.startswith("2026") and camp.status == "finished"
    assert SignUp.objects.filter(program=camp, status="confirmed").count() == camp.capacity == 40
    assert SignUp.objects.filter(program=camp, status="waitlisted").exists()
    promoted = SignUp.objects.filter(program=camp, promoted_at__isnull=False)
    assert (
        promoted.count() == 3
        and ProgramsEvent.objects.filter(kind="promoted", program_id_ref=camp.pk).count() == 3
    )
    harmonica = Program.objects.get(kind="class")
    assert harmonica.status == "open" and harmonica.sessions.filter(date__gt=end.date()).count() == 6
    assert Program.objects.get(kind="talk").status == "open"
    assert any("候补自动递补 3 户" in line for line in lines)
