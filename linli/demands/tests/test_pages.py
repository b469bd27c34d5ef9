"""The staff pages through the Django test client: what each role sees and can do."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from linli.demands.models import Demand
from linli.demands.tests.factories import dispatched, in_progress, lead_of, registered, replied
from linli.org.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def signed_in(world, name: str) -> Client:
    client = Client()
    client.force_login(world.user(name))
    return client


def page(response) -> str:
    return response.content.decode()


def visible_text(html: str) -> str:
    """What a reader sees: the page without its tags (attributes, scripts and styles dropped)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_sign_in_lands_on_each_roles_workbench(world):
    expected = {
        "agent": "/intake/",
        "dispatcher": "/queue/",
        "cg_handler": "/inbox/",
        "worker": "/inbox/",
        "cg_boss": "/approvals/",
        "coord": "/dashboard/",
        "leader": "/dashboard/",
    }
    for name, url in expected.items():
        client = Client()
        response = client.post("/login/", {"username": name, "password": PASSWORD}, follow=True)
        assert response.redirect_chain[-1][0] == url, name
        assert response.status_code == 200


def test_wrong_password_says_so_and_five_failures_lock_the_account(world):
    client = Client()
    response = client.post("/login/", {"username": "agent", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in page(response)
    for _ in range(4):
        client.post("/login/", {"username": "agent", "password": "wrong"})
    locked = client.post("/login/", {"username": "agent", "password": PASSWORD})
    assert locked.status_code == 429
    assert "auth.locked_out" in page(locked)


def test_pages_need_sign_in(world):
    client = Client()
    for url in ("/", "/intake/", "/queue/", "/inbox/", "/demands/", "/dashboard/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url


def test_agent_registers_a_demand_and_lands_on_its_page(world):
    client = signed_in(world, "agent")
    response = client.post(
        "/intake/",
        {
            "demand_type": "complaint",
            "urgency": "normal",
            "text": "小区门口路灯坏了一周，晚上很黑。",
            "community": world.community.pk,
            "phone": "13900001111",
        },
    )
    demand = Demand.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/demands/{demand.pk}/"
    assert demand.channel == "hotline" and demand.registered_by == world.user("agent")
    detail = page(client.get(response["Location"]))
    assert demand.code in detail and "派单" in detail


def test_intake_with_errors_keeps_what_was_typed(world):
    client = signed_in(world, "agent")
    response = client.post(
        "/intake/",
        {"demand_type": "complaint", "urgency": "normal", "text": "井盖缺失很危险", "phone": "12345"},
    )
    assert response.status_code == 422
    html = page(response)
    assert "井盖缺失很危险" in html and "请输入11位手机号" in html
    assert Demand.objects.count() == 0


def test_consultation_resolved_at_intake(world):
    client = signed_in(world, "agent")
    client.post(
        "/intake/",
        {
            "demand_type": "consultation",
            "urgency": "normal",
            "text": "请问社保卡补办需要带什么材料？",
            "resolve_now": "on",
            "answer": "带身份证到街道便民服务中心办理。",
        },
    )
    demand = Demand.objects.get()
    assert demand.status == "closed" and demand.resolved_at_intake


def test_dispatcher_queue_and_dispatch_form(world):
    demand = registered(world)
    client = signed_in(world, "dispatcher")
    assert demand.code in page(client.get("/queue/"))
    response = client.post(
        f"/demands/{demand.pk}/do/dispatch/",
        {
            "version": demand.version,
            "lead_unit": world.cg.pk,
            "assisting_units": [world.jj.pk],
            "category": world.categories["mid"].pk,
            "instructions": "请城管牵头，交警配合",
        },
    )
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.status == "dispatched" and demand.lead_unit == world.cg
    assert demand.assignments.filter(unit=world.jj, role="assisting").exists()
    assert demand.code not in page(client.get("/queue/"))


def test_dispatch_without_a_category_is_refused_with_the_reason(world):
    demand = registered(world)
    response = signed_in(world, "dispatcher").post(
        f"/demands/{demand.pk}/do/dispatch/", {"version": demand.version, "lead_unit": world.cg.pk}
    )
    assert response.status_code == 422 and "demand.category_required" in page(response)


def test_dispatch_form_is_prefilled_from_the_catalogue(world):
    demand = registered(world, category_id=world.categories["vendors"].pk)
    html = page(signed_in(world, "dispatcher").get(f"/demands/{demand.pk}/"))
    assert f'<option value="{world.committee.pk}" selected>' in html


def test_dispatch_form_errors_stay_in_place(world):
    demand = registered(world)
    client = signed_in(world, "dispatcher")
    response = client.post(
        f"/demands/{demand.pk}/do/dispatch/",
        {
            "version": demand.version,
            "lead_unit": world.cg.pk,
            "assisting_units": [world.cg.pk],
            "instructions": "我写的派单意见",
        },
    )
    assert response.status_code == 422
    html = page(response)
    assert "主办单位不能同时是协办单位" in html and "我写的派单意见" in html


def test_stale_form_is_a_clear_conflict(world):
    demand = registered(world)
    first, second = signed_in(world, "dispatcher"), signed_in(world, "agent")
    data = {"version": demand.version, "lead_unit": world.cg.pk, "category": world.categories["mid"].pk}
    assert first.post(f"/demands/{demand.pk}/do/dispatch/", data).status_code == 302
    # the agent's page was loaded before: the demand is no longer waiting for dispatch
    response = second.post(f"/demands/{demand.pk}/do/redispatch/", {**data, "instructions": "改派"})
    assert response.status_code == 409
    # The person reads the message; the stable code stays in the markup for machines, not in the text.
    assert 'data-code="demand.stale"' in page(response)
    assert "demand.stale" not in visible_text(page(response))


def test_unit_inbox_sign_and_reply(world):
    demand = dispatched(world)
    client = signed_in(world, "cg_handler")
    inbox = page(client.get("/inbox/"))
    assert demand.code in inbox and "待签收" in inbox
    assignment = lead_of(demand)
    demand.refresh_from_db()
    assert (
        client.post(
            f"/demands/{demand.pk}/do/sign/", {"version": demand.version, "target": assignment.pk}
        ).status_code
        == 302
    )
    demand.refresh_from_db()
    response = client.post(
        f"/demands/{demand.pk}/do/reply/",
        {"version": demand.version, "target": assignment.pk, "result": "已清理占道摊点。"},
    )
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.status == "replied" and demand.reply_text == "已清理占道摊点。"


def test_htmx_action_redirects_or_returns_the_form_with_errors(world):
    demand = in_progress(world)
    client = signed_in(world, "cg_handler")
    assignment = lead_of(demand)
    bad = client.post(
        f"/demands/{demand.pk}/do/reply/",
        {"version": demand.version, "target": assignment.pk, "result": ""},
        HTTP_HX_REQUEST="true",
    )
    assert bad.status_code == 422 and "<details" in page(bad) and "<html" not in page(bad)
    good = client.post(
        f"/demands/{demand.pk}/do/reply/",
        {"version": demand.version, "target": assignment.pk, "result": "已处理"},
        HTTP_HX_REQUEST="true",
    )
    assert good.status_code == 204 and good["HX-Redirect"] == f"/demands/{demand.pk}/"


def test_only_the_actions_this_person_may_take_are_offered(world):
    demand = dispatched(world)
    handler = page(signed_in(world, "cg_handler").get(f"/demands/{demand.pk}/"))
    assert "/do/sign/" in handler and "/do/dispatch/" not in handler and "/do/callback/" not in handler
    agent = page(signed_in(world, "agent").get(f"/demands/{demand.pk}/"))
    assert "/do/sign/" not in agent and "/do/redispatch/" in agent
    # an action not offered is refused like a page that does not exist
    response = signed_in(world, "jj_handler").post(
        f"/demands/{demand.pk}/do/sign/", {"target": lead_of(demand).pk}
    )
    assert response.status_code == 404


def test_another_units_demand_by_url_is_404(world):
    demand = dispatched(world)
    response = signed_in(world, "jj_handler").get(f"/demands/{demand.pk}/")
    assert response.status_code == 404
    assert demand.code not in page(response) and "demand.not_found" in page(response)


def test_script_in_demand_text_shows_as_text(world):
    demand = registered(world, text='门口有人贴小广告<script>alert("x")</script>')
    html = page(signed_in(world, "dispatcher").get(f"/demands/{demand.pk}/"))
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_supervisor_decides_a_return_request(world):
    demand = dispatched(world)
    handler = signed_in(world, "cg_handler")
    assignment = lead_of(demand)
    demand.refresh_from_db()
    handler.post(
        f"/demands/{demand.pk}/do/return/",
        {"version": demand.version, "target": assignment.pk, "reason": "不属于城管职责"},
    )
    boss = signed_in(world, "cg_boss")
    approvals = page(boss.get("/approvals/"))
    assert demand.code in approvals and "不属于城管职责" in approvals
    demand.refresh_from_db()
    response = boss.post(
        f"/demands/{demand.pk}/do/decide_return/",
        {"version": demand.version, "target": assignment.pk, "decision": "approve", "next": "/approvals/"},
    )
    assert response.status_code == 302 and response["Location"] == "/approvals/"
    demand.refresh_from_db()
    assert demand.status == "returned"


def test_callback_closes_the_loop(world):
    demand = replied(world)
    client = signed_in(world, "agent")
    client.post(
        f"/demands/{demand.pk}/do/callback/",
        {"version": demand.version, "resolved": "yes", "satisfaction": "satisfied", "note": "满意"},
    )
    demand.refresh_from_db()
    assert demand.status == "called_back"
    client.post(f"/demands/{demand.pk}/do/close/", {"version": demand.version, "note": ""})
    demand.refresh_from_db()
    assert demand.status == "closed"
    timeline = page(client.get(f"/demands/{demand.pk}/"))
    for step in ("受理", "派单", "签收", "办结", "回访", "归档"):
        assert step in timeline


def test_list_filters_sort_and_bad_dates(world):
    a = registered(world, text="路灯不亮")
    b = dispatched(world, text="噪音扰民", community_id=world.other_community.pk)
    client = signed_in(world, "dispatcher")
    html = page(client.get("/demands/", {"q": "路灯"}))
    assert a.code in html and b.code not in html
    html = page(client.get("/demands/", {"community": world.other_community.pk}))
    assert b.code in html and a.code not in html
    html = page(client.get("/demands/", {"status": ["dispatched"]}))
    assert b.code in html and a.code not in html
    bad = client.get("/demands/", {"date_from": "2026-05-01", "date_to": "2026-04-01"})
    assert bad.status_code == 422 and "结束日期不能早于开始日期" in page(bad)
    garbage = client.get("/demands/", {"unit": "abc", "page": "zz", "sort": "nope"})
    assert garbage.status_code == 422


def test_export_of_the_filtered_list(world):
    import io

    from openpyxl import load_workbook

    a = registered(world, text="路灯不亮")
    registered(world, text="噪音扰民")
    client = signed_in(world, "dispatcher")
    response = client.get("/demands/export.xlsx", {"q": "路灯"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert codes == [a.code]
    csv_body = b"".join(client.get("/demands/export.csv", {"q": "路灯"}).streaming_content).decode(
        "utf-8-sig"
    )
    assert a.code in csv_body and "噪音" not in csv_body
    assert client.get("/demands/export.pdf").status_code == 404


def test_unit_handler_list_shows_only_own_units_demands(world):
    mine = dispatched(world)
    other = registered(world)
    html = page(signed_in(world, "cg_handler").get("/demands/"))
    assert mine.code in html and other.code not in html


@pytest.mark.parametrize("url", ["/demands/", "/inbox/", "/queue/", "/approvals/"])
def test_list_pages_take_a_fixed_number_of_queries(world, django_assert_max_num_queries, url):
    for _ in range(3):
        dispatched(world)
    name = {
        "/demands/": "dispatcher",
        "/inbox/": "cg_handler",
        "/queue/": "dispatcher",
        "/approvals/": "cg_boss",
    }[url]
    client = signed_in(world, name)
    client.get(url)
    with django_assert_max_num_queries(14):
        client.get(url)
    for _ in range(10):
        dispatched(world)
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


def test_demand_page_takes_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    demand = replied(world)
    client = signed_in(world, "agent")
    with django_assert_max_num_queries(20):
        assert client.get(f"/demands/{demand.pk}/").status_code == 200


def test_language_switch_to_english(world):
    client = signed_in(world, "agent")
    client.post("/i18n/setlang/", {"language": "en", "next": "/intake/"})
    html = page(client.get("/intake/"))
    assert 'lang="en"' in html


def test_junk_from_a_public_channel_is_flagged_on_the_queue_and_page_not_dropped(world):
    ad = registered(world, channel="web", text="专业办证刻章，加微信 abc123888，低价代开发票，量大从优！")
    client = signed_in(world, "dispatcher")
    queue = page(client.get("/queue/"))
    assert ad.code in queue and "疑似无效" in queue
    assert "疑似无效信息" in page(client.get(f"/demands/{ad.pk}/"))


def test_finished_work_shows_no_countdown_on_the_demand_page_or_the_inbox(world):
    running = in_progress(world)
    client = signed_in(world, "cg_handler")
    assert 'class="countdown' in page(client.get(f"/demands/{running.pk}/"))
    assert "还剩" in page(client.get("/inbox/", {"tab": "in_progress"}))

    done = replied(world)
    demand_page = page(client.get(f"/demands/{done.pk}/"))
    assert 'class="countdown' not in demand_page and "还剩" not in demand_page
    assert done.code in (inbox := page(client.get("/inbox/", {"tab": "done"})))
    assert 'class="countdown' not in inbox


def test_an_extension_asked_twice_shows_the_message_not_the_code(world):
    demand = in_progress(world)
    client = signed_in(world, "cg_handler")
    assignment = lead_of(demand)
    statuses, last = [], None
    for _ in range(2):
        demand.refresh_from_db()
        last = client.post(
            f"/demands/{demand.pk}/do/extension/",
            {"version": demand.version, "target": assignment.pk, "days": 3, "reason": "需协调多部门"},
        )
        statuses.append(last.status_code)
    assert statuses[0] == 302 and statuses[1] in (409, 422)
    html = page(last)
    code = re.search(r'data-code="(demand\.[a-z_]+)"', html).group(1)
    assert code not in visible_text(html) and "（demand." not in html


def test_a_merged_duplicate_is_linked_only_for_those_who_may_open_it(world):
    from linli.demands import services as s

    master = dispatched(world)
    duplicate = registered(world, text="校门口摊贩又占道了，早上很堵。")
    s.demand_merge(actor=world.user("dispatcher"), demand_id=duplicate.pk, master_id=master.pk)
    handler = page(signed_in(world, "cg_handler").get(f"/demands/{master.pk}/"))
    assert duplicate.code in handler and f'href="/demands/{duplicate.pk}/"' not in handler
    assert signed_in(world, "cg_handler").get(f"/demands/{duplicate.pk}/").status_code == 404
    dispatcher = page(signed_in(world, "dispatcher").get(f"/demands/{master.pk}/"))
    assert f'href="/demands/{duplicate.pk}/"' in dispatcher


def test_the_suggestion_asks_for_the_place_when_the_unit_depends_on_it(world):
    """物业管理 here is handled by each community's committee only: without a community no unit can be named,
    and the panel says what is missing rather than claiming the catalogue has no unit."""
    from linli.dispatch.services import category_create, crosswalk_set, dispatch_rule_set

    estate = category_create(code="C12", name="物业管理", parent=world.categories["top"])
    dispatch_rule_set(category=estate, unit=world.committee, jurisdiction=world.community)
    crosswalk_set(reference_path="城乡建设", category=estate)
    crosswalk_set(reference_path="交通运输", category=world.categories["traffic"])
    client = Client()
    client.login(username="agent", password=PASSWORD)
    text = "小区物业不作为，楼道垃圾几天没人清理，电梯坏了也没人修，物业费照收"
    html = client.get("/intake/suggest/", {"text": text}).content.decode()
    assert "物业管理" in html and "选择所属社区/村后" in html and "派单目录中没有" not in html
    html = client.get("/intake/suggest/", {"text": text, "community": world.community.pk}).content.decode()
    assert "建议主办单位" in html and "选择所属社区/村后" not in html
