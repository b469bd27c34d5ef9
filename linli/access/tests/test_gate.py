"""The assignment gate: admit, refuse, send for approval; bad requests; decisions; the deadline sweep."""

import datetime as dt

import pytest

from linli.access import selectors
from linli.access import services as s
from linli.access.models import Plaque, RequestEvent, Task
from linli.access.tests import factories as f
from linli.core import clock

pytestmark = pytest.mark.django_db


def test_request_on_the_list_is_admitted_and_delivered_citing_the_item(world, cat):
    req = f.admitted(world)
    assert req.status == "admitted"
    assert req.item.code == "A-001"
    assert "高龄津贴" in req.explanation["keywords"]
    assert req.explanation["phrases"]
    task = Task.objects.get(request=req)
    assert task.community == world.community and task.status == "admitted"
    assert list(req.events.values_list("kind", flat=True)) == ["filed", "admitted"]


def test_request_on_the_negative_list_is_refused_at_once(world, cat):
    req = f.refused(world)
    assert req.status == "refused" and req.item.code == "N-002"
    assert "负面清单" in req.explanation["why"]
    assert not Task.objects.filter(request=req, status__in=["admitted", "awaiting"]).exists()


def test_request_not_on_the_list_goes_to_the_coordination_office_with_a_15_working_day_limit(world, cat):
    req = f.pending(world)
    assert req.status == "pending" and req.item is None
    assert req.explanation["reason"] in {"unsure", "not_found"}
    assert req.approval_due > req.filed_at + dt.timedelta(days=15)
    assert Task.objects.get(request=req).status == "awaiting"
    assert selectors.countdown(req) == 15


def test_village_only_item_for_a_community_goes_to_approval(world, cat):
    req = f.file(world, "森林防火巡查", "请组织开展森林防火巡查", targets=[world.community.pk])
    assert req.status == "pending" and req.explanation["reason"] == "scope"
    req = f.file(world, "森林防火巡查", "请组织开展森林防火巡查", targets=[world.other_community.pk])
    assert req.status == "admitted"


def test_whole_area_expands_to_its_communities_and_villages(world, cat):
    req = f.file(world, "开展高龄津贴年审", "高龄津贴资格认证", targets=[world.street.pk])
    assert set(req.tasks.values_list("community_id", flat=True)) == {
        world.community.pk,
        world.other_community.pk,
    }


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"targets": None, "target_ids": []}, "access.no_target"),
        ({"days": -1}, "access.deadline_past"),
        ({"content": "  "}, "access.empty_content"),
    ],
)
def test_bad_requests_get_a_clear_error(world, cat, change, code):
    kwargs = {
        "actor": world.user("cg_handler"),
        "title": "高龄津贴",
        "content": change.get("content", "高龄津贴资格认证"),
        "target_ids": change.get("target_ids", [world.community.pk]),
        "deadline": clock.today() + dt.timedelta(days=change.get("days", 3)),
    }
    with pytest.raises(Exception) as exc:
        s.request_file(**kwargs)
    assert exc.value.code == code


def test_unknown_target_and_non_department(world, cat):
    with pytest.raises(Exception) as exc:
        f.file(world, "高龄津贴", "认证", targets=[999999])
    assert exc.value.code == "access.bad_target"
    with pytest.raises(Exception) as exc:
        f.file(world, "高龄津贴", "认证", user="worker")
    assert exc.value.code == "access.not_department"


def test_approve_once_admits_the_waiting_tasks(world, cat):
    req = f.pending(world)
    s.request_opinion_add(actor=world.user("cg_boss"), request_id=req.pk, opinion="城管局同意，经费随后拨付")
    s.request_decide(actor=world.user("coord"), request_id=req.pk, decision="approve_once", reason="仅限本次")
    req.refresh_from_db()
    assert req.status == "approved"
    assert Task.objects.get(request=req).status == "admitted"
    kinds = list(req.events.values_list("kind", "reason"))
    assert ("opinion", "城管局同意，经费随后拨付") in kinds and ("approve_once", "仅限本次") in kinds


def test_approve_permanently_adds_the_item_to_the_next_draft(world, cat):
    req = f.pending(world)
    s.request_decide(
        actor=world.user("coord"), request_id=req.pk, decision="approve_list", reason="常态化工作"
    )
    draft = selectors.version_list().get(status="draft")
    assert draft.number == cat.number + 1
    assert draft.items.filter(name=req.title, kind="assist").exists()
    assert draft.items.count() == cat.items.count() + 1
    assert cat.items.count() == len(f.ITEMS)  # the published version did not change


def test_reject_needs_a_reason_and_withdraws_the_tasks(world, cat):
    req = f.pending(world)
    with pytest.raises(Exception) as exc:
        s.request_decide(actor=world.user("coord"), request_id=req.pk, decision="reject")
    assert exc.value.code == "access.reason_required"
    s.request_decide(actor=world.user("coord"), request_id=req.pk, decision="reject", reason="属部门自身职责")
    assert Task.objects.get(request=req).status == "withdrawn"
    with pytest.raises(Exception) as exc:
        s.request_decide(actor=world.user("coord"), request_id=req.pk, decision="approve_once")
    assert exc.value.code == "access.already_decided" and exc.value.status == 409


def test_only_the_coordination_office_decides(world, cat):
    req = f.pending(world)
    with pytest.raises(Exception) as exc:
        s.request_decide(actor=world.user("cg_boss"), request_id=req.pk, decision="approve_once")
    assert exc.value.code == "permission_denied"


def test_sweep_escalates_once_after_15_working_days(world, cat):
    req = f.pending(world)
    assert s.approval_sweep() == 0
    with clock.at(clock.now() + dt.timedelta(days=30)):
        assert s.approval_sweep() == 1
        assert s.approval_sweep() == 0
        req.refresh_from_db()
        assert req.escalated_at is not None
        assert selectors.countdown(req) < 0
    assert RequestEvent.objects.filter(request=req, kind="escalated").count() == 1


def test_standard_plaque_is_admitted_and_hung_others_need_approval(world, cat):
    s.plaque_type_save(name="社区党群服务中心", basis="组织部规范")
    ok = f.file(world, "悬挂党群服务中心牌子", "统一悬挂", kind="plaque", plaque_name="社区党群服务中心")
    assert ok.status == "admitted"
    assert Plaque.objects.filter(community=world.community, name="社区党群服务中心", request=ok).exists()
    other = f.file(
        world, "悬挂城管工作站牌子", "在社区挂城管工作站牌子", kind="plaque", plaque_name="城管工作站"
    )
    assert other.status == "pending" and other.explanation["reason"] == "plaque_not_standard"
    s.request_decide(actor=world.user("coord"), request_id=other.pk, decision="approve_once", reason="试点")
    assert Plaque.objects.filter(name="城管工作站").count() == 1


def test_without_a_published_catalogue_everything_waits_for_approval(world):
    req = f.admitted(world)
    assert req.status == "pending" and req.explanation["reason"] == "no_catalogue"


def test_sweep_command_reports_how_many_it_escalated(world, cat):
    import io

    from django.core.management import call_command

    f.pending(world)
    out = io.StringIO()
    with clock.at(clock.now() + dt.timedelta(days=40)):
        call_command("access_sweep", stdout=out)
        call_command("access_sweep", stdout=out)
    assert out.getvalue().split() == ["escalated:", "1", "escalated:", "0"]


def test_decision_events_are_append_only_records_with_actor_and_reason(world, cat):
    req = f.pending(world)
    s.request_decide(actor=world.user("coord"), request_id=req.pk, decision="reject", reason="不属于社区职责")
    event = req.events.get(kind="reject")
    assert (event.actor, event.reason) == (world.user("coord"), "不属于社区职责")
    from django.contrib import admin

    from linli.access.models import AccessRequest

    request_admin = admin.site._registry[AccessRequest]
    assert not request_admin.has_change_permission(None) and not request_admin.has_delete_permission(None)
    assert not any(i.has_change_permission(None) for i in request_admin.get_inline_instances(None))
