"""The work-order desk's writes: progress notes, unanswered callbacks and batches, as staff notice them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from linli.core.errors import ApplicationError
from linli.core.models import Attachment
from linli.core.tests.images import tiny_png
from linli.demands import services as s
from linli.demands.desk_selectors import callback_worklist, public_progress
from linli.demands.models import Demand
from linli.demands.tests import factories as df
from linli.org.services import staff_create
from linli.org.states import Role


def _photo(name="清理后.png"):
    return SimpleUploadedFile(name, tiny_png(), content_type="image/png")


def test_a_public_progress_note_with_a_photo_reaches_the_tracking_view(world):
    demand = df.in_progress(world)
    lead = df.lead_of(demand)
    s.assignment_progress(
        actor=world.user("cg_handler"),
        demand_id=demand.pk,
        assignment_id=lead.pk,
        note="已约谈摊主，明早七点联合执法",
        public=True,
        files=[_photo()],
    )
    s.assignment_progress(
        actor=world.user("cg_handler"),
        demand_id=demand.pk,
        assignment_id=lead.pk,
        note="内部：摊主电话已核实",
    )
    seen = public_progress(demand=Demand.objects.get(pk=demand.pk))
    assert seen.handling_unit == world.cg.name
    assert seen.finish_due is not None
    assert [n.note for n in seen.notes] == ["已约谈摊主，明早七点联合执法"]
    assert Attachment.objects.filter(subject_type="demand_progress", subject_id=lead.pk).count() == 1


def test_progress_refused_to_another_unit_after_the_reply_and_without_text(world):
    demand = df.in_progress(world)
    lead = df.lead_of(demand)
    with pytest.raises(ApplicationError) as other:
        s.assignment_progress(
            actor=world.user("jj_handler"), demand_id=demand.pk, assignment_id=lead.pk, note="看过"
        )
    assert other.value.code == "demand.not_your_assignment"
    with pytest.raises(ApplicationError) as empty:
        s.assignment_progress(
            actor=world.user("cg_handler"), demand_id=demand.pk, assignment_id=lead.pk, note="  "
        )
    assert empty.value.status == 422
    done = df.replied(world)
    with pytest.raises(ApplicationError) as late:
        s.assignment_progress(
            actor=world.user("cg_handler"),
            demand_id=done.pk,
            assignment_id=done.assignments.get().pk,
            note="补充",
        )
    assert late.value.status == 409
    assert not Attachment.objects.filter(subject_type="demand_progress").exists()


def test_callback_worklist_oldest_deadline_first_with_unanswered_calls(world):
    first, second = df.replied(world), df.replied(world, text="楼道灯坏了")
    assert s.demand_callback_unreachable(actor=world.user("agent"), demand_id=second.pk, note="无人接听") == 1
    assert s.demand_callback_unreachable(actor=world.user("agent"), demand_id=second.pk) == 2
    rows = list(callback_worklist(user=world.user("agent")))
    assert [r.pk for r in rows] == [first.pk, second.pk]
    assert [r.unreachable for r in rows] == [0, 2]
    assert list(callback_worklist(user=world.user("cg_handler"))) == []
    s.demand_callback(actor=world.user("agent"), demand_id=first.pk, resolved=True, satisfaction="satisfied")
    assert [r.pk for r in callback_worklist(user=world.user("agent"))] == [second.pk]


def test_batch_sign_reports_each_item_and_one_taken_by_someone_else(world):
    demands = [df.dispatched(world, text=f"第{i}件：路面坑洼") for i in range(4)]
    colleague = staff_create(username="cg_2", password="pw-Linli-2026", role=Role.UNIT_HANDLER, unit=world.cg)
    s.assignment_sign(actor=colleague, demand_id=demands[1].pk, assignment_id=df.lead_of(demands[1]).pk)
    result = s.demands_batch(
        actor=world.user("cg_handler"), action="sign", demand_ids=[d.pk for d in demands]
    )
    assert result.counts == {"done": 3, "conflict": 1}
    taken = [i for i in result.items if i.outcome == "conflict"][0]
    assert taken.demand_id == demands[1].pk and taken.code == demands[1].code and taken.message
    assert {d.status for d in Demand.objects.filter(pk__in=[d.pk for d in demands])} == {"in_progress"}


def test_batch_with_foreign_ids_changes_only_what_the_person_may_see(world):
    mine = df.dispatched(world)
    moved = df.dispatched(world, text="改派给交警的件")
    s.demand_redispatch(
        actor=world.user("dispatcher"), demand_id=moved.pk, lead_unit_id=world.jj.pk, reason="职责在交警"
    )
    theirs = df.registered(world, text="从未派给城管的件")
    s.demand_dispatch(
        actor=world.user("dispatcher"),
        demand_id=theirs.pk,
        lead_unit_id=world.jj.pk,
        category_id=world.categories["mid"].pk,
    )
    ids = [mine.pk, moved.pk, theirs.pk, 999999]
    result = s.demands_batch(actor=world.user("cg_handler"), action="sign", demand_ids=ids)
    assert {i.demand_id: i.outcome for i in result.items} == {
        mine.pk: "done",
        moved.pk: "conflict",
        theirs.pk: "not_found",
        999999: "not_found",
    }
    assert [i.code for i in result.items if i.outcome == "not_found"] == [
        "",
        "",
    ]  # nothing about others' demands
    assert set(Demand.objects.filter(pk__in=[moved.pk, theirs.pk]).values_list("status", flat=True)) == {
        "dispatched"
    }


def test_batch_callback_and_the_limits(world):
    replied = [df.replied(world, text=f"第{i}件：噪音扰民") for i in range(2)]
    result = s.demands_batch(
        actor=world.user("agent"),
        action="callback",
        demand_ids=[d.pk for d in replied],
        params={"resolved": True, "satisfaction": "satisfied"},
    )
    assert result.counts == {"done": 2}
    assert set(Demand.objects.filter(pk__in=[d.pk for d in replied]).values_list("status", flat=True)) == {
        "called_back"
    }
    with pytest.raises(ApplicationError) as big:
        s.demands_batch(actor=world.user("agent"), action="callback", demand_ids=list(range(1, 300)))
    assert big.value.code == "demand.batch_too_large"
    with pytest.raises(ApplicationError) as unknown:
        s.demands_batch(actor=world.user("agent"), action="delete", demand_ids=[replied[0].pk])
    assert unknown.value.code == "demand.batch_unknown_action"
