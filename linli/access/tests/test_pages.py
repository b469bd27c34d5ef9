"""The access pages as each role uses them: file → gate → approve → inbox → refuse; catalogue; ledger; lookup."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from linli.access.models import Task
from linli.access.tests import factories as f
from linli.core import clock

pytestmark = pytest.mark.django_db


def test_department_files_a_request_and_sees_the_explanation(client, signed_in, world, cat):
    signed_in("cg_handler")
    deadline = (clock.today() + dt.timedelta(days=7)).isoformat()
    r = client.post(
        reverse("access:request_new"),
        {
            "kind": "task",
            "title": "高龄津贴资格认证",
            "content": "协助完成八十周岁以上老人高龄津贴年审",
            "targets": [world.community.pk],
            "deadline": deadline,
            "inspections_planned": 0,
        },
        follow=True,
    )
    assert r.status_code == 200
    body = r.content.decode()
    assert "已准入" in body and "A-001" in body and "命中关键词" in body


def test_bad_request_shows_the_error_on_the_form(client, signed_in, world, cat):
    signed_in("cg_handler")
    r = client.post(
        reverse("access:request_new"),
        {"kind": "task", "title": "x", "content": "y", "deadline": "2000-01-01", "inspections_planned": 0},
    )
    assert r.status_code == 200 and "请至少选择一个社区" in r.content.decode()


def test_office_approves_from_the_queue_and_the_community_sees_the_task(client, signed_in, world, cat):
    req = f.pending(world)
    signed_in("coord")
    queue = client.get(reverse("access:approvals")).content.decode()
    assert req.title in queue and ">15<" in queue
    client.post(
        reverse("access:request_decide", args=[req.pk]), {"decision": "approve_once", "reason": "本次同意"}
    )
    signed_in("worker")
    inbox = client.get(reverse("access:inbox")).content.decode()
    assert req.title in inbox and "已准入" in inbox


def test_the_decision_form_starts_with_no_choice_and_refuses_a_missing_one(client, signed_in, world, cat):
    req = f.pending(world)
    signed_in("coord")
    detail = client.get(reverse("access:request_detail", args=[req.pk])).content.decode()
    form = detail[detail.index(reverse("access:request_decide", args=[req.pk])) :]
    form = form[: form.index("</form>")]
    assert form.count('type="radio"') == 3 and "checked" not in form
    assert 'class="field' in form and "<p>" not in form  # laid out like the other forms, not as_p
    r = client.post(
        reverse("access:request_decide", args=[req.pk]), {"decision": "", "reason": ""}, follow=True
    )
    req.refresh_from_db()
    assert req.status == "pending"
    shown = re.sub(r"<[^>]+>", " ", r.content.decode())
    assert 'role="alert"' in r.content.decode() or "messages" in r.content.decode()
    assert "access." not in shown  # the message, never the code


def test_community_refuses_a_waiting_task_and_the_department_sees_it(client, signed_in, world, cat):
    req = f.pending(world)
    task = Task.objects.get(request=req)
    signed_in("worker")
    page = client.get(reverse("access:task_detail", args=[task.pk])).content.decode()
    assert "未经准入" in page and "依规拒绝" in page
    client.post(reverse("access:task_refuse", args=[task.pk]))
    signed_in("cg_handler")
    detail = client.get(reverse("access:request_detail", args=[req.pk])).content.decode()
    assert "社区拒绝" in detail and "暂不承接" in detail


def test_other_users_get_404_for_a_request_they_may_not_see(client, signed_in, world, cat):
    req = f.pending(world)
    signed_in("jj_handler")
    assert client.get(reverse("access:request_detail", args=[req.pk])).status_code == 404


def test_worker_records_an_outside_task_and_refuses_it(client, signed_in, world, cat):
    signed_in("worker")
    r = client.post(
        reverse("access:task_outside"),
        {"department": world.cg.pk, "title": "每日工作群打卡", "content": "群里要求"},
        follow=True,
    )
    assert "依规拒绝" in r.content.decode()
    task = Task.objects.get(request__title="每日工作群打卡")
    client.post(reverse("access:task_refuse", args=[task.pk]))
    task.refresh_from_db()
    assert task.status == "refused" and "未经准入程序" in task.refusal_reason


def test_catalogue_pages_and_export_import_roundtrip(client, signed_in, world, cat):
    signed_in("coord")
    assert "居民最低生活保障" in client.get(reverse("access:catalogue")).content.decode()
    xlsx = client.get(reverse("access:catalogue_export", args=[cat.number]))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("c.xlsx", xlsx.content)
    r = client.post(reverse("access:catalogue_import"), {"file": upload}, follow=True)
    assert r.status_code == 200 and "草稿" in r.content.decode()
    assert (
        client.get(reverse("access:catalogue_diff"), {"old": cat.number, "new": cat.number + 1}).status_code
        == 200
    )


def test_ledger_page_and_xlsx(client, signed_in, world, cat):
    f.admitted(world)
    signed_in("leader")
    page = client.get(reverse("access:ledger")).content.decode()
    assert "金榕社区" in page and "ledger-data" in page
    assert client.get(reverse("access:ledger"), {"format": "xlsx"})["Content-Type"].startswith(
        "application/vnd"
    )


def test_public_lookup_without_sign_in(client, world):
    f.certificates()
    page = client.get(reverse("access:lookup"), {"q": "单身证明"}).content.decode()
    assert "婚姻状况证明" in page and "社区不能开具" in page and "民政局" in page


def test_worker_plaques_and_certificates(client, signed_in, world):
    f.certificates()
    signed_in("worker")
    client.post(
        reverse("access:plaques"),
        {"name": "创建文明城市工作站", "hung_by": "区文明办", "hung_at": "2025-03-01"},
    )
    page = client.get(reverse("access:plaques")).content.decode()
    assert "创建文明城市工作站" in page and "非规范" in page
    from linli.access.models import Certificate, Plaque

    p = Plaque.objects.get(name="创建文明城市工作站")
    client.post(reverse("access:plaques"), {"plaque": p.pk, "reason": "清理规范"})
    p.refresh_from_db()
    assert p.removed_at is not None
    cert = Certificate.objects.get(name="居住证明")
    client.post(reverse("access:certificates"), {"certificate": cert.pk, "count": 2})
    assert "居住证明 × 2" in client.get(reverse("access:certificates")).content.decode()


def test_the_gate_explains_itself_in_the_readers_language(client, signed_in, world, cat):
    req = f.refused(world)
    assert "负面清单" in req.explanation["why"]  # stored in Chinese, as the record
    signed_in("cg_handler")
    page = client.get(reverse("access:request_detail", args=[req.pk])).content.decode()
    assert page.count(req.explanation["why"]) == 2  # the explanation, and the record of the refusal
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(reverse("access:request_detail", args=[req.pk])).content.decode()
    name = req.explanation["item_name"]
    assert f"Similar to the negative-list item “{name}”" in page
    assert page.count(req.explanation["why"]) == 1  # the record keeps the words it was written in
