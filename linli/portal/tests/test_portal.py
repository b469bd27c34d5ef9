"""The resident portal as a resident and a handler meet it: submit, receipt, photo, bots kept out, tracking."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

from linli.core.models import Attachment
from linli.core.tests.images import tiny_png
from linli.demands import services as s
from linli.demands.models import Demand
from linli.portal.tests.portal_helpers import SUBMIT, form_data, png_upload


@pytest.fixture(autouse=True)
def _portal_env(settings, tmp_path):
    """Photos land in a throwaway media directory (the cache is emptied for every test in linli/conftest.py)."""
    settings.MEDIA_ROOT = tmp_path / "media"


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_home_offers_the_two_choices(db):
    page = Client().get("/portal/").content.decode()
    assert "反映问题" in page and "查询进度" in page
    assert 'href="/portal/submit/"' in page and 'href="/portal/track/"' in page
    assert 'name="viewport"' in page


def test_the_form_has_labels_csrf_and_the_communities_by_street(world):
    page = Client().get(SUBMIT).content.decode()
    assert "csrfmiddlewaretoken" in page
    assert 'enctype="multipart/form-data"' in page
    assert '<optgroup label="金涵乡">' in page and "金榕社区" in page and "涵江村" in page
    for label in ("问题描述", "手机号", "地点", "照片（可不传）"):
        assert label in page


def test_a_resident_submits_and_the_receipt_shows_the_tracking_code(world):
    client = Client()
    response = client.post(SUBMIT, form_data(client, world))
    assert response.status_code == 200
    demand = Demand.objects.get()
    assert (demand.channel, demand.demand_type, demand.status) == ("web", "complaint", "registered")
    assert demand.community_id == world.community.pk and demand.address == "金榕路1号东门"
    assert (demand.complainant.phone, demand.complainant.name, demand.registered_by_id) == (
        "13912345678",
        "李先生",
        None,
    )
    page = response.content.decode()
    assert f'id="tracking-code">{demand.code}<' in page
    assert "5678" in page and f"/portal/track/?code={demand.code}" in page


def test_a_phone_typed_with_spaces_and_the_country_code_is_accepted(world):
    client = Client()
    client.post(SUBMIT, form_data(client, world, phone="+86 139-1234 5678"))
    assert Demand.objects.get().complainant.phone == "13912345678"


def test_a_wrong_phone_number_is_refused_and_what_was_typed_stays(world):
    client = Client()
    response = client.post(SUBMIT, form_data(client, world, phone="12345", text="东门路灯坏了"))
    page = response.content.decode()
    assert response.status_code == 200 and not Demand.objects.exists()
    assert "请输入11位手机号" in page
    assert "东门路灯坏了</textarea>" in page and 'value="金榕路1号东门"' in page and 'value="12345"' in page


def test_an_empty_text_is_refused_with_a_message(world):
    client = Client()
    page = client.post(SUBMIT, form_data(client, world, text="  ")).content.decode()
    assert "请填写问题描述" in page and not Demand.objects.exists()


def test_a_photo_is_stored_with_the_demand_and_shown_only_to_the_handling_unit(world, settings):
    client = Client()
    client.post(SUBMIT, {**form_data(client, world), "photo": png_upload("门口.png")})
    demand = Demand.objects.get()
    photo = Attachment.objects.get()
    assert (photo.subject_type, photo.subject_id, photo.content_type) == ("demand", demand.pk, "image/png")
    with photo.file.open("rb") as handle:
        stored = handle.read()  # the photo as Pillow wrote it again, without metadata
    assert photo.original_name == "门口.png" and photo.size == len(stored) and len(photo.sha256) == 64
    assert photo.file.name.startswith("attachments/") and photo.file.name.endswith(".png")
    assert "门口" not in photo.file.name  # the stored name is random
    s.demand_dispatch(
        actor=world.user("dispatcher"),
        demand_id=demand.pk,
        category_id=world.categories["mid"].pk,
        lead_unit_id=world.cg.pk,
    )
    url = f"/portal/attachments/{photo.pk}/"

    handler = Client()
    handler.force_login(world.user("cg_handler"))
    response = handler.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == stored
    assert "no-store" in response["Cache-Control"]

    other_unit = Client()
    other_unit.force_login(world.user("jj_handler"))
    refused = other_unit.get(url)
    assert refused.status_code == 404 and "attachment.not_found" in refused.content.decode()
    assert other_unit.get(f"/portal/attachments/{photo.pk + 999}/").status_code == 404

    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")


def test_a_file_that_is_not_a_photo_is_refused_and_the_text_is_kept(world, settings):
    client = Client()
    fake = png_upload("photo.jpg", b"<html><script>alert(1)</script></html>")
    response = client.post(SUBMIT, {**form_data(client, world, text="垃圾清运不及时"), "photo": fake})
    page = response.content.decode()
    assert "只能上传 JPEG、PNG 或 WebP 格式的照片" in page
    assert "垃圾清运不及时</textarea>" in page
    assert not Demand.objects.exists() and not Attachment.objects.exists() and not stored_files(settings)


def test_a_photo_over_the_size_limit_is_refused_with_the_limit(world, settings):
    settings.LINLI_PHOTO_MAX_BYTES = 1024 * 1024
    client = Client()
    big = png_upload("big.png", tiny_png() + b"\x00" * (1024 * 1024))
    response = client.post(SUBMIT, {**form_data(client, world, text="噪音扰民"), "photo": big})
    page = response.content.decode()
    assert "照片不能超过 1 MB" in page and "噪音扰民</textarea>" in page
    assert not Demand.objects.exists()


def test_a_good_photo_dropped_for_another_error_asks_to_choose_it_again(world):
    client = Client()
    response = client.post(SUBMIT, {**form_data(client, world, phone=""), "photo": png_upload()})
    page = response.content.decode()
    assert "请填写手机号" in page and "请重新选择照片" in page


def test_no_demand_is_left_without_its_photo_when_storing_fails(world, settings, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    def disk_full(self, name, content):
        raise OSError("No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", disk_full)
    client = Client()
    response = client.post(SUBMIT, {**form_data(client, world, text="桥下积水"), "photo": png_upload()})
    page = response.content.decode()
    assert (
        response.status_code == 200 and "照片保存失败，诉求未提交" in page and "桥下积水</textarea>" in page
    )
    assert not Demand.objects.exists() and not Attachment.objects.exists()


def test_a_failure_after_the_photo_was_written_removes_demand_and_file(world, settings, monkeypatch):
    from linli.core import idempotency

    real_save = idempotency.IdempotencyRecord.save

    def fail_on_storing_the_answer(self, *args, **kwargs):
        if kwargs.get("update_fields"):
            raise OSError("database went away")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(idempotency.IdempotencyRecord, "save", fail_on_storing_the_answer)
    client = Client()
    client.post(SUBMIT, {**form_data(client, world), "photo": png_upload()})
    assert not Demand.objects.exists() and not Attachment.objects.exists()
    assert not stored_files(settings)


def test_the_honeypot_blocks_a_bot_and_saves_nothing(world, caplog):
    client = Client()
    with caplog.at_level(logging.WARNING, logger="linli.portal"):
        response = client.post(SUBMIT, form_data(client, world, website="http://spam.example"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "提交已被拦截" in page and "portal.blocked" in page
    assert not Demand.objects.exists()
    assert any("honeypot" in r.getMessage() for r in caplog.records)


def test_the_honeypot_is_out_of_sight_and_out_of_the_tab_order(db):
    page = Client().get(SUBMIT).content.decode()
    assert '<div class="hp" aria-hidden="true">' in page
    assert 'name="website"' in page and 'tabindex="-1"' in page


def test_too_many_submissions_from_one_phone_get_429_and_keep_what_was_typed(world, settings):
    settings.LINLI_PUBLIC_RATE_LIMITS = {"portal_submit": (2, 600)}
    client = Client()
    for _ in range(2):
        assert client.post(SUBMIT, form_data(client, world)).status_code == 200
    text = "第三次反映：楼道灯坏了两个星期。"
    response = client.post(SUBMIT, form_data(client, world, text=text, address="金榕路9号"))
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert 'data-code="portal.phone_rate_limited"' in page and "请稍后再提交" in page and "分钟后重试" in page
    assert (
        "（portal.phone_rate_limited）" not in page and ">portal." not in page
    )  # no internal code in the text
    assert text in page and "金榕路9号" in page and 'value="13912345678"' in page  # nothing typed is lost
    assert Demand.objects.count() == 2
    # Another phone from the same address is not affected.
    assert client.post(SUBMIT, form_data(client, world, phone="13800001111")).status_code == 200


def test_a_service_hall_behind_one_address_passes_under_the_generous_ceiling(world, settings):
    settings.LINLI_PUBLIC_RATE_LIMITS = {"portal_submit": (5, 600), "portal_submit_address": (12, 600)}
    hall = Client(REMOTE_ADDR="10.0.0.7")
    for n in range(12):  # twelve residents, one address, a few minutes
        response = hall.post(SUBMIT, form_data(hall, world, phone=f"1390000{n:04d}"))
        assert response.status_code == 200, n
    refused = hall.post(SUBMIT, form_data(hall, world, phone="13700000000", text="第十三位居民的诉求内容"))
    assert refused.status_code == 429 and 'data-code="portal.rate_limited"' in refused.content.decode()
    assert "第十三位居民的诉求内容" in refused.content.decode()
    assert Demand.objects.count() == 12
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post(SUBMIT, form_data(other, world, phone="13700000000")).status_code == 200


def test_sending_the_same_form_twice_registers_one_demand_and_shows_the_same_receipt(world):
    client = Client()
    data = form_data(client, world)
    first = client.post(SUBMIT, data)
    second = client.post(SUBMIT, data)
    demand = Demand.objects.get()
    assert demand.code in first.content.decode() and demand.code in second.content.decode()
    assert "这张表单已经提交过" in second.content.decode()
    assert "这张表单已经提交过" not in first.content.decode()


def test_a_forged_form_token_is_refused_and_the_text_is_kept(world):
    client = Client()
    response = client.post(SUBMIT, form_data(client, world, form_token="made-up", text="井盖丢失"))
    page = response.content.decode()
    assert "表单已失效" in page and "井盖丢失</textarea>" in page and not Demand.objects.exists()
    # The page carries a new token, so pressing the button again goes through.
    token = response.context["form"]["form_token"].value()
    assert token != "made-up"
    again = {**form_data(client, world, text="井盖丢失"), "form_token": token}
    assert client.post(SUBMIT, again).status_code == 200 and Demand.objects.count() == 1


def test_a_script_in_the_text_is_shown_as_text(world):
    client = Client()
    response = client.post(SUBMIT, form_data(client, world, text="<script>alert(1)</script>", phone="1"))
    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_every_form_needs_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    data = form_data(client, world)
    assert client.post(SUBMIT, data).status_code == 403
    assert client.post("/portal/track/", {"code": "X", "phone_last4": "1234"}).status_code == 403
    assert client.post("/portal/track/rate/", {"code": "X"}).status_code == 403
    assert not Demand.objects.exists()


def test_the_portal_and_the_public_api_count_one_phone_together(world, settings):
    """Switching from the form to the API (or back) gains no submissions: one count per phone number."""
    settings.LINLI_PUBLIC_RATE_LIMITS = {"portal_submit": (2, 600)}
    api = Client(REMOTE_ADDR="10.0.0.3")
    body = {"demand_type": "help", "text": "楼道灯坏了", "phone": "+86 139 1234 5678"}
    for _ in range(2):
        sent = api.post("/api/v1/public/demands", json.dumps(body), content_type="application/json")
        assert sent.status_code == 201
    client = Client()
    response = client.post(SUBMIT, form_data(client, world))  # the form's phone: 13912345678
    assert response.status_code == 429 and "请稍后再提交" in response.content.decode()
    assert Demand.objects.count() == 2
