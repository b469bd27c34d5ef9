"""What the jurisdiction matrix (linli/tests/test_jurisdiction_matrix.py) needs of the empowerment app: a team of
金榕社区 with a planned term, a volunteer with an account, a posting; and a snapshot of every row a probe
could write."""

from __future__ import annotations

import datetime as dt

from linli.empower import services as s
from linli.empower.models import Assignment, EmpowerEvent, Posting, Shift, SwapRequest, Term, Volunteer
from linli.empower.tests import factories as f
from linli.org.services import staff_create
from linli.org.states import Role
from linli.org.tests.factories import PASSWORD


def empower_things(w, t) -> None:
    team, term = f.team(w, per_unit={"city_management": 1, "police": 1, "volunteers": 3})
    own = f.volunteer(w, "甘棠护学志愿者", account="e_volunteer")
    w.users["e_volunteer"] = own.user
    s.team_member_add(actor=w.user("worker"), team_id=team.pk, volunteer_id=own.pk, partner="volunteers")
    s.shifts_generate(actor=w.user("worker"), term_id=term.pk)
    s.roster_plan(actor=w.user("worker"), term_id=term.pk)
    shift = Shift.objects.filter(term=term).order_by("date", "template__start").first()
    mine = Assignment.objects.filter(volunteer=own).first() or s.assignment_add(
        actor=w.user("worker"), shift_id=shift.pk, volunteer_id=own.pk
    )
    instructor = staff_create(
        username="e_instructor", password=PASSWORD, role=Role.INSTRUCTOR, jurisdiction=w.community
    )
    w.users["e_instructor"] = instructor
    posting = s.posting_create(
        actor=w.user("coord"),
        kind="first_secretary",
        cadre_name="郑砚秋书记",
        home_unit_id=w.cg.pk,
        community_id=w.community.pk,
        starts_on=dt.date(2026, 3, 1),
        tasks=["校园周边治理"],
        user_id=instructor.pk,
    )
    t.ids.update(
        team=team.pk,
        term=term.pk,
        shift=mine.shift_id,
        assignment=mine.pk,
        volunteer=own.pk,
        posting=posting.pk,
    )
    t.markers.update(team=team.name, volunteer=own.name, posting=posting.cadre_name)


def empower_snapshot() -> tuple:
    return (
        list(
            Assignment.objects.order_by("pk").values_list("pk", "status", "locked", "volunteer_id", "version")
        ),
        list(Term.objects.order_by("pk").values_list("pk", "planned_at")),
        Shift.objects.count(),
        Volunteer.objects.count(),
        SwapRequest.objects.count(),
        Posting.objects.count(),
        EmpowerEvent.objects.count(),
    )
