"""Three languages: the catalogues are complete and compiled, and the pages speak the language chosen."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

LOCALE = Path(__file__).resolve().parents[1] / "locale"
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("language", ["en", "zh_Hant"])
def test_catalogues_are_complete_and_compiled(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES/django.po"))
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES/django.mo"))
    assert po.untranslated_entries() == [] and po.fuzzy_entries() == []
    compiled = {e.msgid: e.msgstr or e.msgstr_plural for e in mo}
    assert len(po.translated_entries()) > 100
    for entry in po:
        assert entry.msgid in compiled, f"{entry.msgid!r} is not compiled: run scripts/i18n.py"


def labels(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", m).strip() for m in re.findall(r"<label[^>]*>(.*?)</label>", html, re.S)]


def test_staff_pages_in_english(world):
    client = Client()
    client.force_login(world.user("agent"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/intake/").content.decode()
    found = labels(html)
    assert found and not [t for t in found if HAN.search(t) and t not in ("简体中文", "繁體中文")]
    assert "Register" in html or "Submit" in html


def test_portal_in_traditional_chinese(world):
    client = Client()
    client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/portal/"})
    html = client.get("/portal/submit/").content.decode()
    assert "訴求" in html and 'lang="zh-hant"' in html


def test_an_error_page_in_english_keeps_its_code(world):
    client = Client()
    client.force_login(world.user("jj_handler"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/demands/999999/")
    html = response.content.decode()
    assert response.status_code == 404 and "No such demand" in html and "demand.not_found" in html


def test_simplified_chinese_is_the_default_even_for_an_english_browser(world):
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="zh-hans"' in client.get("/login/").content.decode()
    taiwan = Client(HTTP_ACCEPT_LANGUAGE="zh-TW,zh;q=0.9")
    assert 'lang="zh-hant"' in taiwan.get("/login/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert 'lang="en"' in client.get("/login/").content.decode()
