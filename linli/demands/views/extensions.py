"""What other apps add to the demand page, registered in their ``AppConfig.ready``.

The demands app sits below visits (and the other apps built on demands) and never imports them; an app that
offers something on the demand page registers a link here (e.g. visits: "提交协调会"), with the predicate
that says who sees it. The page shows the links whose predicate holds for the person and the demand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class PageLink:
    key: str  # the element id on the page, stable for tests and scripts
    label: Any  # a lazy translation
    url_name: str  # reversed with the demand's id
    allowed: Callable[[Any, Any], bool]  # (user, demand) -> may this person follow it
    note: Any = ""


_links: dict[str, PageLink] = {}


def demand_page_link_add(link: PageLink) -> None:
    """Add (or replace, by key) a link on the demand page."""
    _links[link.key] = link


def demand_page_links(user, demand) -> list[dict]:
    """The contributed links this person may follow for this demand, in the order they were added."""
    return [
        {
            "key": link.key,
            "label": link.label,
            "note": link.note,
            "url": reverse(link.url_name, args=[demand.pk]),
        }
        for link in _links.values()
        if link.allowed(user, demand)
    ]
