"""The hotspot page and 每月一题 through the Django test client (texts written for these tests)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from linli.analytics.tests.hot_story import at, build
from linli.core import clock

pytestmark = pytest.mark.django_db
URL = "/hotspots/?from=2025-03-01&to=2025-04-30"


def client_for(world, name: str) -> Client:
    client = Client()
    client.force_login(world.user(name))
    return client


def test_a_dispatcher_sees_ranked_issues_and_clicks_through_to_their_demands(world):
    story = build(world)
    client = client_for(world, "dispatcher")
    with clock.at(at(4, 30)):
        html = client.get(URL).content.decode()
    first = html[html.index('id="issue-1"') : html.index("</ol>")]
    assert "金榕小区" in first and "<b>4</b>" in first and "50%" in first
    link = re.search(r'href="(/demands/\?ids=[^"]+)"', first).group(1).replace("&amp;", "&")
    assert "定为每月一题" not in html  # only the coordination office marks topics
    listing = client.get(link).content.decode()
    codes = set(re.findall(r"<a href=\"/demands/\d+/\">([^<]+)</a>", listing))
    assert codes == {d.code for d in story["hot"]}
    assert "只显示一个热点问题的 4 件诉求" in listing


def test_unit_staff_do_not_get_the_hotspot_page_and_a_bad_period_is_explained(world):
    assert client_for(world, "cg_handler").get(URL).status_code == 403
    response = client_for(world, "leader").get("/hotspots/?from=2025-05-01&to=2025-03-01")
    assert response.status_code == 422 and "analytics.bad_period" not in response.content.decode()
    assert "开始日期不能晚于结束日期" in response.content.decode()


def test_the_office_marks_a_hot_issue_as_the_months_topic_and_closes_it_with_an_outcome(world):
    story = build(world)
    client = client_for(world, "coord")
    with clock.at(at(4, 30)):
        html = client.get(URL).content.decode()
        mark = re.search(r'href="(/topics/new/\?[^"]+)"', html).group(1).replace("&amp;", "&")
        form = client.get(mark).content.decode()
        assert "将关联这个热点问题的 4 件诉求" in form and "金榕小区" in form
        fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
        response = client.post(
            "/topics/new/",
            {
                **fields,
                "title": "金榕小区搅拌站夜间施工",
                "lead_unit": world.cg.pk,
                "assisting_units": [world.jj.pk],
            },
        )
        assert response.status_code == 302
        topic_url = response["Location"]
        page = client.get(topic_url).content.decode()
        assert "区城管局" in page and "区交警大队" in page and "关联诉求（4 件）" in page
        assert len(story["hot"]) == 4
        for d in story["hot"]:
            assert d.code in page

        blank = client.post(topic_url + "do/close/", {"outcome": " ", "version": 1})
        assert blank.status_code == 422 and "推进中" in blank.content.decode()
        client.post(topic_url + "do/meeting/", {"meeting": "4月28日联席会议", "version": 1})
        done = client.post(topic_url + "do/close/", {"outcome": "搅拌站夜间停工", "version": 2})
        assert done.status_code == 302
        page = client.get(topic_url).content.decode()
    assert "已办结" in page and "搅拌站夜间停工" in page and "4月28日联席会议" in page
    events = page[page.index('id="topic-events"') :]
    assert [e.split(" · ")[-1] for e in re.findall(r"<li>([^<]+)</li>", events)] == [
        "定为每月一题",
        "记录联席会议",
        "办结",
    ]
    listing = client_for(world, "leader").get("/topics/").content.decode()
    assert "金榕小区搅拌站夜间施工" in listing
    assert client_for(world, "leader").post(topic_url + "do/reopen/", {"note": "x"}).status_code == 403
