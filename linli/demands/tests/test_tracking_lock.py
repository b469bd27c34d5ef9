"""Wrong last-four guesses are counted per tracking code, whatever address they come from."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
import time_machine
from django.test import Client

from linli.demands.tests import factories as f

API = "/api/v1/public/demands/track"
START = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def demand(world):
    return f.registered(world)


def api_track(code, digits, address):
    return Client(REMOTE_ADDR=address).get(API, {"code": code, "phone_last4": digits})


def test_ten_wrong_guesses_from_ten_addresses_lock_the_code_for_an_hour(demand):
    with time_machine.travel(START, tick=False) as clock:
        for n in range(9):
            response = api_track(demand.code, f"{n:04d}", f"10.0.1.{n}")
            assert response.status_code == 404 and response.json()["code"] == "demand.tracking_not_found"
        tenth = api_track(demand.code, "0009", "10.0.1.9")
        assert tenth.status_code == 429 and tenth.json()["code"] == "demand.tracking_locked"
        assert tenth["Retry-After"] == "3600"
        assert "12345" in tenth.json()["message"] and "hour" in tenth.json()["message_en"]
        # The right digits are refused too while the lock holds, from any address.
        right = api_track(demand.code, "1234", "10.0.2.1")
        assert right.status_code == 429 and right.json()["code"] == "demand.tracking_locked"
        # Attempts during the lock do not extend it: 59 minutes of tries, then it opens at the hour.
        clock.shift(dt.timedelta(minutes=59))
        assert api_track(demand.code, "0000", "10.0.2.2").status_code == 429
        clock.shift(dt.timedelta(minutes=1, seconds=1))
        assert api_track(demand.code, "1234", "10.0.2.3").status_code == 200


def test_other_codes_are_not_locked_and_right_guesses_do_not_count(world, demand):
    other = f.registered(world)
    with time_machine.travel(START, tick=False):
        for _ in range(20):
            assert api_track(demand.code, "1234", "10.0.3.1").status_code == 200
        for n in range(10):
            api_track(demand.code, f"{n:04d}", "10.0.3.2")
        assert api_track(other.code, "1234", "10.0.3.3").status_code == 200


def test_wrong_guesses_spread_over_more_than_an_hour_do_not_lock(demand):
    with time_machine.travel(START, tick=False) as clock:
        for n in range(9):
            api_track(demand.code, f"{n:04d}", "10.0.4.1")
        clock.shift(dt.timedelta(minutes=61))
        assert api_track(demand.code, "0009", "10.0.4.1").status_code == 404
        assert api_track(demand.code, "1234", "10.0.4.1").status_code == 200


def _visible_text(html: str) -> str:
    """What a person reads: the page without tags, attributes, scripts and styles."""
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return re.sub(r"\s+", " ", unescape(re.sub(r"(?s)<[^>]*>", " ", html)))


@pytest.mark.parametrize(
    "language, says",
    [
        ("zh-hans", ["1 小时后再试", "12345", "报上受理编号", "分钟后重试"]),
        ("en", ["Try again in an hour", "12345", "give the operator the tracking code", "minute"]),
    ],
)
def test_the_portal_says_the_code_is_locked_and_what_to_do(demand, language, says):
    """The tenth wrong guess and every look-up during the lock: the page says wait an hour (and how long is
    left) or call 12345 with the code, in the resident's language, with no internal code in the text."""
    client = Client()
    client.post(
        "/i18n/setlang/", {"language": language, "next": "/portal/track/"}
    )  # the page's language switch
    with time_machine.travel(START, tick=False) as clock:
        for n in range(10):
            response = client.post("/portal/track/", {"code": demand.code, "phone_last4": f"{n:04d}"})
        clock.shift(dt.timedelta(minutes=20))
        again = client.post("/portal/track/", {"code": demand.code, "phone_last4": "1234"})
    for page in (response, again):
        assert page.status_code == 429 and int(page["Retry-After"]) > 0
        text = _visible_text(page.content.decode())
        for words in says:
            assert words in text, (language, words)
        assert "tracking_locked" not in text and "demand." not in text
        assert 'data-code="demand.tracking_locked"' in page.content.decode()  # for machines only
        assert f'value="{demand.code}"' in page.content.decode()  # the code stays in the form, for the call
    assert "40" in _visible_text(again.content.decode())  # 40 minutes left after 20


def test_the_api_says_the_code_is_locked_and_what_to_do_in_both_languages(demand):
    with time_machine.travel(START, tick=False):
        for n in range(10):
            locked = api_track(demand.code, f"{n:04d}", "10.0.6.1")
    body = locked.json()
    assert locked.status_code == 429 and locked["Retry-After"] == "3600"
    assert body["details"] == {"retry_after": 3600}
    assert (
        "1 小时后再试" in body["message"] and "12345" in body["message"] and "报上受理编号" in body["message"]
    )
    assert "Try again in an hour" in body["message_en"] and "12345" in body["message_en"]
    assert not re.search(r"[\u4e00-\u9fff]", body["message_en"])
    assert "demand." not in body["message"] + body["message_en"]


def test_wrong_digits_on_the_rating_form_count_too(world):
    replied = f.replied(world)
    client = Client()
    form = {"code": replied.code, "resolved": "yes", "satisfaction": "satisfied"}
    with time_machine.travel(START, tick=False):
        for n in range(10):
            client.post("/portal/track/rate/", {**form, "phone_last4": f"{n:04d}"})
        right = api_track(replied.code, "1234", "10.0.5.1")
        assert right.status_code == 429 and right.json()["code"] == "demand.tracking_locked"
