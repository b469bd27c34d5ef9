"""A crawler on the demo: every demo role signs in and follows the links it is shown; none may answer 4xx or 5xx.

A link a person is shown is a promise that the page opens for them. The
crawl starts at the role's home page and follows every same-origin link of
the menus and the pages (GET only), breadth first, a bounded number of pages
per role; links that only download a file, sign out or switch the language
are left out. Pages of the same shape (``/demands/12/`` and ``/demands/40/``)
are visited a few times each, so the budget reaches every kind of page.
"""

from __future__ import annotations

import os
import re
from collections import Counter, deque
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from linli.org.selectors import staff_list
from linli.org.states import Role

# Every role: the empowerment accounts (instructor, volunteer, partner firm) are crawled through their own pages.
STAFF_ROLES = [r.value for r in Role]

PAGES_PER_ROLE = 70
SAME_SHAPE = 3
SKIP_PREFIXES = ("/static/", "/media/", "/logout", "/i18n/", "/api/", "/admin/logout", "/admin/jsi18n")
SKIP_QUERY = ("download=", "format=", "export")

HREF = re.compile(r"<a\b[^>]*?\bhref=\"([^\"]+)\"[^>]*>", re.S)


def _links(html: str, base: str) -> list[str]:
    out = []
    for match in HREF.finditer(html):
        tag = match.group(0)
        if " download" in tag or 'target="_blank"' in tag:
            continue
        href = unescape(match.group(1)).strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        url = urlsplit(urljoin(base, href))
        if url.netloc not in ("", "testserver") or url.scheme not in ("", "http"):
            continue
        if url.path.startswith(SKIP_PREFIXES) or any(q in url.query for q in SKIP_QUERY):
            continue
        out.append(url.path + (f"?{url.query}" if url.query else ""))
    return out


def _shape(url: str) -> str:
    path, _, query = url.partition("?")
    return re.sub(r"\d+", "N", path) + (
        "?" + "&".join(sorted(k.split("=")[0] for k in query.split("&"))) if query else ""
    )


def crawl(client: Client, start: str) -> tuple[list[tuple[str, int, str]], int]:
    """(url, status, found on) of every failing page, and how many pages were opened."""
    seen, shapes = {start}, Counter()
    queue: deque[tuple[str, str]] = deque([(start, "(start)")])
    failures, opened = [], 0
    while queue and opened < PAGES_PER_ROLE:
        url, source = queue.popleft()
        response = client.get(url, follow=True)
        opened += 1
        if response.status_code >= 400:
            failures.append((url, response.status_code, source))
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        final = response.redirect_chain[-1][0] if response.redirect_chain else url
        for link in _links(response.content.decode(), final):
            if link in seen or shapes[_shape(link)] >= SAME_SHAPE:
                continue
            seen.add(link)
            shapes[_shape(link)] += 1
            queue.append((link, url))
    return failures, opened


@pytest.mark.django_db
@pytest.mark.parametrize("role", STAFF_ROLES)
def test_every_link_a_demo_role_is_shown_opens(demo, role, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    users = staff_list().filter(role=role).order_by("username")
    assert users.exists(), role
    client = Client()
    client.force_login(users.first())
    failures, opened = crawl(client, "/")
    assert opened > 5, (role, opened)
    assert failures == [], failures


# --- the same pages in English and 繁體: no Chinese left in English, no Simplified left in 繁體 ---------

# The page chrome: what templates and catalogues write, not what people typed (names, demand texts, topics).
CHROME = re.compile(
    r"<(th|legend|summary|button|label|dt)\b[^>]*>(.*?)</\1>"
    r"|<(span|a|b|p)\b[^>]*class=\"[^\"]*\b(brand|badge|kpi-label|muted period-note)\b[^\"]*\"[^>]*>(.*?)</\3>"
    r"|<nav\b[^>]*>(.*?)</nav>",
    re.S,
)
HAN = re.compile(r"[\u4e00-\u9fff]")
LANGUAGE_NAMES = ("简体中文", "繁體中文")
TRANSLATION_PAGES = 25


def chrome_texts(html: str) -> list[str]:
    out = []
    for match in CHROME.finditer(html):
        inner = next(g for g in (match.group(2), match.group(5), match.group(6)) if g is not None)
        inner = re.sub(r"<(select|textarea|option)\b.*?</\1>", " ", inner, flags=re.S)
        text = " ".join(unescape(re.sub(r"<[^>]+>", " ", inner)).split())
        for name in LANGUAGE_NAMES:
            text = text.replace(name, "")
        if text:
            out.append(text)
    return out


def _pages(client: Client, limit: int) -> list[tuple[str, str]]:
    seen, shapes, queue, out = {"/"}, Counter(), deque(["/"]), []
    while queue and len(out) < limit:
        url = queue.popleft()
        response = client.get(url, follow=True)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        out.append((url, html))
        for link in _links(html, url):
            if link not in seen and shapes[_shape(link)] < 1 and not link.startswith("/admin/"):
                seen.add(link)
                shapes[_shape(link)] += 1
                queue.append(link)
    return out


def _names_of_people_and_places() -> set[str]:
    """User data that may sit in a label or a cell of the chrome: names of staff, units, areas, categories."""
    from linli.dispatch.selectors import category_list
    from linli.org.selectors import jurisdiction_list, unit_list
    from linli.visits.selectors import cadre_list

    names = set(staff_list().values_list("display_name", flat=True))
    names |= set(unit_list().values_list("name", flat=True)) | set(
        jurisdiction_list().values_list("name", flat=True)
    )
    names |= set(category_list().values_list("name", flat=True))
    names |= set(cadre_list().values_list("name", flat=True))
    return {n for n in names if n}


def _without_data(text: str, names: set[str]) -> str:
    for name in sorted(names, key=len, reverse=True):
        if name in text:
            text = text.replace(name, " ")
    return text


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hant"])
@pytest.mark.parametrize("role", STAFF_ROLES)
def test_the_pages_of_every_role_speak_the_chosen_language(demo, role, language):
    from linli.core.hant import simplified_only

    client = Client()
    client.force_login(staff_list().filter(role=role).order_by("username").first())
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    names = _names_of_people_and_places()
    leftovers: dict[str, set[str]] = {}
    pages = _pages(client, TRANSLATION_PAGES)
    assert len(pages) > 3
    for url, html in pages:
        assert f'lang="{language}"' in html, url
        for text in chrome_texts(html):
            text = _without_data(text, names)
            if language == "en":
                bad = HAN.findall(text)
            else:  # Simplified characters left, or 社区 written as 社群 (a social group) by OpenCC's phrasing
                bad = simplified_only(text) + ("社群" if "社群" in text else "")
            if bad:
                leftovers.setdefault(text[:60], set()).add(url)
    if leftovers and os.environ.get("LINLI_I18N_REPORT"):
        with open(os.environ["LINLI_I18N_REPORT"], "a") as out:
            for text, urls in sorted(leftovers.items()):
                out.write(f"{language}\t{role}\t{text}\t{sorted(urls)[0]}\n")
    assert leftovers == {}, sorted(leftovers.items())[:40]
