"""The work-order desk's pages (#15) through the Django test client: print, batches, callbacks, progress, lists."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from linli.core.tests.images import tiny_png
from linli.demands import services as s
from linli.demands.models import Demand, ExportJob, SavedFilter
from linli.demands.tests import factories as df
from linli.demands.views import lists
from linli.org.services import staff_create
from linli.org.states import Role
from linli.org.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def signed_in(world, name: str) -> Client:
    client = Client()
    client.force_login(world.user(name))
    return client


def text(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- 1. print -------------------------------------------------------------------------------------------


def test_the_printed_work_order_has_the_fields_no_menu_and_the_phone_by_role(world):
    demand = df.in_progress(world, text="金榕路夜市油烟扰民", phone="13812345678")
    page = signed_in(world, "agent").get(f"/demands/{demand.pk}/print/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="menu"' not in html and "@media print" in html
    seen = text(page)
    for expected in (
        demand.code,
        "金榕路夜市油烟扰民",
        "区城管局",
        "13812345678",
        "承办人",
        "审核人",
        "日期",
    ):
        assert expected in seen, expected
    handler = text(signed_in(world, "cg_handler").get(f"/demands/{demand.pk}/print/"))
    assert "13812345678" not in handler and "138****5678" in handler
    assert signed_in(world, "jj_handler").get(f"/demands/{demand.pk}/print/").status_code == 404


def test_the_pdf_is_a_pdf_and_a_batch_prints_only_what_one_may_see(world):
    mine = df.in_progress(world, text="第一件")
    other = df.registered(world, text="第二件")
    pdf = signed_in(world, "cg_handler").get(f"/demands/{mine.pk}/print/?format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    batch = signed_in(world, "cg_handler").get(f"/demands/print/?id={mine.pk}&id={other.pk}")
    seen = text(batch)
    assert mine.code in seen and other.code not in seen
    assert "1 件未找到，或无权查看，未打印" in seen
    both = text(signed_in(world, "dispatcher").get(f"/demands/print/?id={mine.pk}&id={other.pk}"))
    assert mine.code in both and other.code in both
    assert signed_in(world, "dispatcher").get("/demands/print/?id=abc").status_code == 422


# --- 2. batches -----------------------------------------------------------------------------------------


def test_batch_sign_reports_each_item_when_a_colleague_signed_one_meanwhile(world):
    demands = [df.dispatched(world, text=f"第{i}件：占道经营") for i in range(3)]
    foreign = df.registered(world, text="交警的件")
    s.demand_dispatch(
        actor=world.user("dispatcher"),
        demand_id=foreign.pk,
        lead_unit_id=world.jj.pk,
        assisting_unit_ids=[],
        category_id=world.categories["traffic"].pk,
    )
    colleague = staff_create(username="cg_two", password=PASSWORD, role=Role.UNIT_HANDLER, unit=world.cg)
    s.assignment_sign(actor=colleague, demand_id=demands[0].pk, assignment_id=df.lead_of(demands[0]).pk)
    inbox = text(signed_in(world, "cg_handler").get("/inbox/"))
    assert "签收时限" in inbox and "全选本页" in inbox
    response = signed_in(world, "cg_handler").post(
        "/demands/batch/sign/",
        {"id": [d.pk for d in demands] + [foreign.pk], "next": "/inbox/"},
    )
    assert response.status_code == 200
    seen = text(response)
    assert "2 件已签收，1 件已被他人处理或状态已变，1 件未找到" in seen
    assert "已被他人签收或已改派" in seen and "未找到，或无权查看" in seen
    assert Demand.objects.get(pk=foreign.pk).status == "dispatched"
    assert df.lead_of(foreign).unit_id == world.jj.pk and df.lead_of(foreign).status == "pending_sign"


def test_batch_dispatch_from_the_queue_and_a_bad_form_changes_nothing(world):
    a, b = df.registered(world, text="甲"), df.registered(world, text="乙")
    client = signed_in(world, "dispatcher")
    assert "批量派单" in text(client.get("/queue/"))
    bad = client.post("/demands/batch/dispatch/", {"id": [a.pk, b.pk]})
    assert bad.status_code == 422
    assert set(Demand.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True)) == {"registered"}
    done = client.post(
        "/demands/batch/dispatch/",
        {
            "id": [a.pk, b.pk],
            "lead_unit": world.cg.pk,
            "assisting_units": [world.jj.pk],
            "category": world.categories["mid"].pk,
            "next": "/queue/",
        },
    )
    assert done.status_code == 302 and done["Location"] == "/queue/"
    assert set(Demand.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True)) == {"dispatched"}
    timeline = text(client.get(f"/demands/{a.pk}/"))
    assert "主办：区城管局；协办：区交警大队" in timeline


def test_an_unknown_batch_action_is_not_found(world):
    assert signed_in(world, "dispatcher").post("/demands/batch/explode/", {"id": 1}).status_code == 404


# --- 3. callbacks ---------------------------------------------------------------------------------------


def test_the_callback_worklist_counts_unanswered_calls_and_leads_an_unsatisfied_one_to_reopen(world):
    first, second = df.replied(world, text="先答复的"), df.replied(world, text="后答复的")
    agent = signed_in(world, "agent")
    page = agent.get("/callbacks/")
    seen = text(page)
    assert seen.index(first.code) < seen.index(second.code)
    assert "已协调清理摊贩，设置护学岗。" in seen  # the reply to read out
    assert "回访" in text(agent.get("/intake/"))  # the menu entry
    missed = agent.post(
        "/demands/batch/callback/", {"id": first.pk, "outcome": "unreachable", "next": "/callbacks/"}
    )
    assert missed.status_code == 302
    assert "已拨打 1 次未接通" in text(agent.get("/callbacks/"))
    unhappy = agent.post(
        "/demands/batch/callback/", {"id": first.pk, "outcome": "unsatisfied", "next": "/callbacks/"}
    )
    assert unhappy.status_code == 302 and "open=reopen" in unhappy["Location"]
    demand_page = agent.get(unhappy["Location"])
    assert re.search(r'<details id="action-reopen-0" open', demand_page.content.decode())
    happy = agent.post(
        "/demands/batch/callback/", {"id": second.pk, "outcome": "satisfied", "next": "/callbacks/"}
    )
    assert happy["Location"] == "/callbacks/"
    second.refresh_from_db()
    assert (second.status, second.satisfaction) == ("called_back", "satisfied")
    assert signed_in(world, "cg_handler").get("/callbacks/").status_code == 403


# --- 4. progress ----------------------------------------------------------------------------------------


def test_a_public_progress_note_with_a_photo_on_the_page_and_for_the_resident(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demand = df.in_progress(world, text="路灯不亮三天了", phone="13812345678")
    lead = df.lead_of(demand)
    handler = signed_in(world, "cg_handler")
    assert "公开给群众" in text(handler.get(f"/demands/{demand.pk}/"))
    empty = handler.post(f"/demands/{demand.pk}/assignments/{lead.pk}/progress/", {"note": " "})
    assert empty.status_code == 422
    photo = SimpleUploadedFile("现场.png", tiny_png(), content_type="image/png")
    done = handler.post(
        f"/demands/{demand.pk}/assignments/{lead.pk}/progress/",
        {"note": "已更换灯泡，今晚复查", "public": "on", "files": [photo]},
    )
    assert done.status_code == 302
    page = handler.get(f"/demands/{demand.pk}/")
    assert "已更换灯泡，今晚复查" in text(page)
    link = re.search(rf'href="(/demands/{demand.pk}/progress-files/\d+/)"', page.content.decode()).group(1)
    assert handler.get(link).status_code == 200
    assert signed_in(world, "jj_handler").get(link).status_code == 404
    assert (
        signed_in(world, "jj_handler")
        .post(f"/demands/{demand.pk}/assignments/{lead.pk}/progress/", {"note": "越界"})
        .status_code
        == 404
    )
    resident = Client().post("/portal/track/", {"code": demand.code, "phone_last4": "5678"})
    seen = text(resident)
    for expected in ("已更换灯泡，今晚复查", "区城管局", "路灯不亮三天了", "预计办结"):
        assert expected in seen, expected


def test_after_an_unsatisfied_rating_the_resident_reads_what_happens_next(world):
    demand = df.called_back(world, resolved=False, satisfaction="unsatisfied", phone="13812345678")
    seen = text(Client().post("/portal/track/", {"code": demand.code, "phone_last4": "5678"}))
    assert "重新交办" in seen


# --- 5. timeline and forms ------------------------------------------------------------------------------


def test_a_category_change_shows_old_and_new_and_the_extension_form_states_the_limit(world):
    demand = df.in_progress(world)
    s.demand_change_category(
        actor=world.user("dispatcher"), demand_id=demand.pk, category_id=world.categories["vendors"].pk
    )
    seen = text(signed_in(world, "cg_handler").get(f"/demands/{demand.pk}/"))
    assert re.search(r"分类：城乡建设/市政管理 → \S*占道经营", seen), seen
    assert "最多 15 个工作日" in seen


# --- 6. lists -------------------------------------------------------------------------------------------


def test_saved_filters_are_ones_own(world):
    client = signed_in(world, "dispatcher")
    saved = client.post("/demands/filters/", {"name": "超期未办", "query": "overdue=yes&page=3&evil=1"})
    assert saved.status_code == 302 and saved["Location"] == "/demands/?overdue=yes"
    row = SavedFilter.objects.get(user=world.user("dispatcher"))
    # the filters changed in place (htmx) come back with a save form holding them
    partial = client.get("/demands/?overdue=no", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert 'name="query" value="overdue=no"' in partial.content.decode()
    assert "超期未办" in text(client.get("/demands/"))
    assert client.post("/demands/filters/", {"name": ""}).status_code == 422
    assert signed_in(world, "agent").post(f"/demands/filters/{row.pk}/delete/").status_code == 404
    assert client.post(f"/demands/filters/{row.pk}/delete/").status_code == 302
    assert not SavedFilter.objects.exists()


def test_a_keyword_search_counts_up_to_the_cap_and_the_list_shows_the_countdown(world, monkeypatch):
    monkeypatch.setattr(lists, "KEYWORD_COUNT_CAP", 2)
    for i in range(3):
        df.in_progress(world, text=f"第{i}件：路灯不亮")
    client = signed_in(world, "dispatcher")
    seen = text(client.get("/demands/?q=路灯"))
    assert "共 2+ 条" in seen
    assert "共 3 条" in text(client.get("/demands/"))
    assert "还剩" in seen and "剩余时间" in seen


# --- 9. exports -----------------------------------------------------------------------------------------


def test_a_large_export_goes_to_the_background_and_only_its_owner_downloads_it(
    world, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    monkeypatch.setattr(lists, "BACKGROUND_EXPORT_ROWS", 1)
    df.registered(world, text="甲")
    df.registered(world, text="乙")
    client = signed_in(world, "dispatcher")
    small = client.get("/demands/export.csv")
    assert small.status_code == 200  # streamed CSV stays a direct download at any size
    listing = text(client.get("/demands/"))
    assert "导出 Excel（后台生成）" in listing  # over the limit the list offers the background job (a POST)
    big = client.get("/demands/export.xlsx")
    assert big.status_code == 302 and big["Location"] == "/exports/"
    client.post("/demands/export.csv", {"q": "甲"})
    assert ExportJob.objects.filter(user=world.user("dispatcher")).count() == 2
    ExportJob.objects.filter(fmt="csv").delete()
    job = ExportJob.objects.get(user=world.user("dispatcher"))
    assert "排队中" in text(client.get("/exports/"))
    assert client.get(f"/exports/{job.pk}/download/").status_code == 404  # not made yet
    s.export_jobs_run()
    assert "已完成" in text(client.get("/exports/"))
    download = client.get(f"/exports/{job.pk}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content)[:2] == b"PK"
    assert signed_in(world, "agent").get(f"/exports/{job.pk}/download/").status_code == 404
