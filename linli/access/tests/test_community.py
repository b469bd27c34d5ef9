"""The community side: refusing with one click, reporting, outside tasks; plaques; certificates; the ledger's counts."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from linli.access import selectors
from linli.access import services as s
from linli.access.ledger import ledger_compute
from linli.access.models import Certificate, Task
from linli.access.tests import factories as f
from linli.core import clock
from linli.core.selectors import attachment_list
from linli.core.tests.images import tiny_png

pytestmark = pytest.mark.django_db
PNG = tiny_png(1, 1)


def test_refusal_cites_the_rule_and_reaches_the_department(world, cat):
    req = f.pending(world)
    task = Task.objects.get(request=req)
    s.task_refuse(actor=world.user("worker"), task_id=task.pk)
    task.refresh_from_db()
    assert task.status == "refused" and f"第{cat.number}版" in task.refusal_reason
    event = req.events.get(kind="community_refused")
    assert event.actor == world.user("worker") and event.office == "金榕社区"


def test_an_admitted_task_cannot_be_refused_and_others_cannot_touch_it(world, cat):
    task = Task.objects.get(request=f.admitted(world))
    with pytest.raises(Exception) as exc:
        s.task_refuse(actor=world.user("worker"), task_id=task.pk)
    assert exc.value.code == "access.task_transition_not_allowed" and exc.value.status == 409
    with pytest.raises(Exception) as exc:
        s.task_refuse(actor=world.user("cg_handler"), task_id=task.pk)
    assert exc.value.code == "access.task_not_found"


def test_report_keeps_the_photos_with_the_task(world, cat):
    task = Task.objects.get(request=f.admitted(world))
    s.task_report(
        actor=world.user("worker"),
        task_id=task.pk,
        note="已完成认证 35 人",
        uploads=[SimpleUploadedFile("a.png", PNG)],
    )
    task.refresh_from_db()
    assert task.status == "reported" and "35 人" in task.report_note
    assert attachment_list(subject_type="access_task", subject_id=task.pk).count() == 1
    with pytest.raises(Exception) as exc:
        s.task_report(actor=world.user("worker"), task_id=task.pk, note="")
    assert exc.value.code == "request.invalid"


def test_outside_task_is_recorded_and_refused(world, cat):
    task = s.task_outside_record(
        actor=world.user("worker"), department_id=world.cg.pk, title="微信群里要求统计商铺"
    )
    assert task.status == "awaiting" and task.request.status == "outside"
    s.task_refuse(actor=world.user("worker"), task_id=task.pk)
    assert Task.objects.get(pk=task.pk).status == "refused"


def test_plaque_removal_is_recorded_once(world):
    p = s.plaque_hang(
        actor=None,
        community_id=world.community.pk,
        name="城管工作站",
        hung_by="区城管局",
        hung_at=dt.date(2025, 1, 1),
    )
    s.plaque_remove(actor=world.user("worker"), plaque_id=p.pk, reason="挂牌清理")
    assert (
        selectors.plaque_list(community_id=world.community.pk, current=False).get().removal_reason
        == "挂牌清理"
    )
    with pytest.raises(Exception) as exc:
        s.plaque_remove(actor=world.user("worker"), plaque_id=p.pk, reason="再次")
    assert exc.value.code == "access.plaque_removed"


def test_negative_list_certificate_cannot_be_recorded_as_issued(world):
    f.certificates()
    neg = Certificate.objects.get(name="无犯罪记录证明")
    with pytest.raises(Exception) as exc:
        s.certificate_issue_record(actor=world.user("worker"), certificate_id=neg.pk)
    assert exc.value.code == "access.certificate_not_issuable"


@pytest.mark.parametrize(
    ("typed", "name", "issuable"),
    [
        ("婚姻状况证明", "婚姻状况证明", False),
        ("我要开单身证明", "婚姻状况证明", False),
        ("住址证明", "居住证明", True),
        ("无犯罪", "无犯罪记录证明", False),
    ],
)
def test_lookup_understands_loose_wording(world, typed, name, issuable):
    f.certificates()
    top = selectors.certificate_lookup(query=typed)[0]
    assert (top["name"], top["issuable"]) == (name, issuable)


def test_ledger_counts_per_community(world, cat):
    f.admitted(world)
    f.refused(world)
    pending = f.pending(world)
    s.task_refuse(actor=world.user("worker"), task_id=Task.objects.get(request=pending).pk)
    f.pending(world)
    f.file(world, "消防检查", "对社区消防工作检查考核", kind="inspection", inspections_planned=3)
    s.request_decide(
        actor=world.user("coord"),
        request_id=selectors.approval_queue(user=world.user("coord")).last().pk,
        decision="approve_once",
        reason="同意",
    )
    f.certificates()
    s.certificate_issue_record(
        actor=world.user("worker"), certificate_id=Certificate.objects.get(name="居住证明").pk, count=2
    )
    s.cadre_count_set(community_id=world.community.pk, count=8, as_of=dt.date(2020, 1, 1))
    today = clock.today()
    data = ledger_compute(date_from=today, date_to=today)
    row = next(r for r in data["rows"] if r["id"] == world.community.pk)
    assert row["residents_per_cadre"] == 2500
    assert (row["refused"], row["certificates"]) == (2, 2)
    assert (row["admitted"], row["pending"], row["inspections"]) == (1, 1, 3)
    assert data["totals"]["certificates_cancelled"] == 0
    assert (
        ledger_compute(date_from=today - dt.timedelta(days=120), date_to=today)["totals"][
            "certificates_cancelled"
        ]
        == 1
    )
    with pytest.raises(Exception) as exc:
        ledger_compute(date_from=today, date_to=today - dt.timedelta(days=1))
    assert exc.value.code == "access.bad_period"


def test_report_may_carry_a_pdf_but_not_a_script(world, cat):
    task = Task.objects.get(request=f.admitted(world))
    pdf = SimpleUploadedFile("台账.pdf", b"%PDF-1.4\n%%EOF\n")
    s.task_report(actor=world.user("worker"), task_id=task.pk, note="台账见附件", uploads=[pdf])
    assert (
        attachment_list(subject_type="access_task", subject_id=task.pk).get().content_type
        == "application/pdf"
    )
    with pytest.raises(Exception) as exc:
        s.task_report(
            actor=world.user("worker"),
            task_id=task.pk,
            note="再报",
            uploads=[SimpleUploadedFile("x.pdf", b"<script>")],
        )
    assert exc.value.code == "attachment.type_not_allowed"


def test_lookup_does_not_match_on_the_word_certificate_alone(world):
    f.certificates()
    assert [r["name"] for r in selectors.certificate_lookup(query="我要开单身证明")] == ["婚姻状况证明"]


def test_the_filing_department_downloads_the_report_and_other_departments_cannot(world, cat, client):
    task = Task.objects.get(request=f.admitted(world))
    s.task_report(
        actor=world.user("worker"),
        task_id=task.pk,
        note="台账见附件",
        uploads=[SimpleUploadedFile("台账.pdf", b"%PDF-1.4\n%%EOF\n")],
    )
    row = attachment_list(subject_type="access_task", subject_id=task.pk).get()
    url = f"/access/tasks/{task.pk}/files/{row.pk}/?download=1"
    client.force_login(world.user("cg_handler"))  # the department that filed the request
    page = client.get(f"/access/tasks/{task.pk}/")
    assert page.status_code == 200 and url in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert (
        "attachment" in response["Content-Disposition"] and response["Cache-Control"] == "private, no-store"
    )
    client.force_login(
        world.user("jj_handler")
    )  # another department: the task and its file do not exist for it
    assert client.get(f"/access/tasks/{task.pk}/").status_code == 404
    assert client.get(url).status_code == 404
    assert client.get(f"/access/tasks/{task.pk}/files/{row.pk + 999}/").status_code == 404


def test_ledger_counts_items_cut_by_a_version_even_when_the_first_came_into_force_in_the_same_period(world):
    today = clock.today()
    first = f.catalogue(world, effective=today - dt.timedelta(days=100))
    draft = s.catalogue_draft_create(actor=world.user("coord"), note="瘦身")
    s.catalogue_item_remove(actor=world.user("coord"), version_id=draft.pk, code=f.ITEMS[0][0])
    s.catalogue_version_publish(
        actor=world.user("coord"), version_id=draft.pk, effective_from=today - dt.timedelta(days=10)
    )
    whole = ledger_compute(date_from=today - dt.timedelta(days=200), date_to=today)["totals"]
    assert whole["items_cut"] == 1 and whole["items_in_force"] == first.items.count() - 1
    # A period before the second version: the first one only, nothing cut.
    early = ledger_compute(date_from=today - dt.timedelta(days=200), date_to=today - dt.timedelta(days=11))
    assert early["totals"]["items_cut"] == 0 and early["totals"]["items_in_force"] == first.items.count()
