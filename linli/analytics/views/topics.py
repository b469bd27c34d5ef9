"""每月一题 pages: the list, marking a hot issue as the month's topic, and one topic tracked to its outcome."""

from __future__ import annotations

import re

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.analytics import topic_services as ts
from linli.analytics.errors import BadTopic, TopicNotAllowed
from linli.analytics.permissions import can_manage_topics
from linli.analytics.topic_selectors import topic_detail, topic_list
from linli.analytics.views.forms_topics import (
    TopicCloseForm,
    TopicDemandsForm,
    TopicForm,
    TopicMeetingForm,
    TopicReopenForm,
    TopicUnitsForm,
)
from linli.core.errors import ApplicationError, NotFound
from linli.demands.selectors import demand_id_for_code
from linli.ui.middleware import error_message
from linli.ui.pages import page_of, staff_page


@staff_page()
def topics_page(request):
    topics = page_of(request, topic_list(user=request.user))
    return render(
        request, "analytics/topics.html", {"page": topics, "can_mark": can_manage_topics(request.user)}
    )


@staff_page()
def topic_new(request):
    """GET: the form, filled from the hot issue the office clicked; POST: mark it (errors shown in place)."""
    if not can_manage_topics(request.user):
        raise TopicNotAllowed()
    if request.method != "POST":
        form = TopicForm(
            initial={k: request.GET.get(k, "") for k in ("title", "place", "terms", "ids", "area")}
        )
        return render(
            request, "analytics/topic_new.html", {"form": form, "count": _count(request.GET.get("ids"))}
        )
    form = TopicForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            topic = ts.topic_mark(
                actor=request.user,
                title=d["title"],
                place=d["place"],
                terms=d["terms"],
                area_id=d.get("area"),
                lead_unit_id=d["lead_unit"].pk,
                assisting_unit_ids=[u.pk for u in d["assisting_units"]],
                demand_ids=d["ids"],
                meeting=d["meeting"],
            )
        except ApplicationError as error:
            form.add_error(None, f"{error_message(error)}（{error.code}）")
            status = error.status
        else:
            messages.success(request, _("已定为本月的每月一题"))
            return redirect("web:topic_detail", pk=topic.pk)
    else:
        status = 422
    return render(
        request,
        "analytics/topic_new.html",
        {"form": form, "count": _count(request.POST.get("ids"))},
        status=status,
    )


def _count(raw) -> int:
    return len([x for x in (raw or "").split(",") if x.strip()])


def _codes_to_ids(user, raw: str) -> list[int]:
    ids, unknown = [], []
    for code in [c for c in re.split(r"[\s,，、;；]+", raw or "") if c]:
        found = demand_id_for_code(user=user, code=code)
        (ids.append(found) if found else unknown.append(code))
    if unknown:
        raise BadTopic(
            "找不到这些诉求编号", "These demand codes were not found", details={"codes": unknown[:10]}
        )
    return ids


# action -> (form, run)
ACTIONS = {
    "units": (
        TopicUnitsForm,
        lambda user, pk, d: ts.topic_units_set(
            actor=user,
            topic_id=pk,
            lead_unit_id=d["lead_unit"].pk,
            assisting_unit_ids=[u.pk for u in d["assisting_units"]],
            version=d.get("version"),
        ),
    ),
    "demands": (
        TopicDemandsForm,
        lambda user, pk, d: ts.topic_demands_link(
            actor=user, topic_id=pk, demand_ids=_codes_to_ids(user, d["codes"]), version=d.get("version")
        ),
    ),
    "meeting": (
        TopicMeetingForm,
        lambda user, pk, d: ts.topic_meeting_set(
            actor=user, topic_id=pk, meeting=d["meeting"], version=d.get("version")
        ),
    ),
    "close": (
        TopicCloseForm,
        lambda user, pk, d: ts.topic_close(
            actor=user, topic_id=pk, outcome=d["outcome"], version=d.get("version")
        ),
    ),
    "reopen": (
        TopicReopenForm,
        lambda user, pk, d: ts.topic_reopen(
            actor=user, topic_id=pk, note=d["note"], version=d.get("version")
        ),
    ),
}


def _forms(detail, bound=None) -> dict:
    topic = detail["topic"]
    version = {"version": topic.version}
    forms = {
        "units": TopicUnitsForm(
            initial={
                **version,
                "lead_unit": topic.lead_unit_id,
                "assisting_units": [u.pk for u in detail["assisting"]],
            }
        ),
        "demands": TopicDemandsForm(initial=version),
        "meeting": TopicMeetingForm(initial={**version, "meeting": topic.meeting}),
        "close": TopicCloseForm(initial=version),
        "reopen": TopicReopenForm(initial=version),
    }
    if bound:
        forms.update(bound)
    return forms


@staff_page()
def topic_page(request, pk: int):
    detail = topic_detail(user=request.user, topic_id=pk)
    context = {**detail, "forms": _forms(detail), "can_manage": can_manage_topics(request.user)}
    return render(request, "analytics/topic.html", context)


@staff_page()
def topic_action(request, pk: int, action: str):
    if request.method != "POST" or action not in ACTIONS:
        raise NotFound(details={"action": action[:20]})
    detail = topic_detail(user=request.user, topic_id=pk)  # 404 unless visible
    if not can_manage_topics(request.user):
        raise TopicNotAllowed()
    form_class, run = ACTIONS[action]
    form = form_class(request.POST)
    status = 422
    if form.is_valid():
        try:
            run(request.user, pk, form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, f"{error_message(error)}（{error.code}）")
            status = error.status
        else:
            messages.success(request, _("已保存"))
            return redirect(reverse("web:topic_detail", args=[pk]))
    context = {**detail, "forms": _forms(detail, {action: form}), "can_manage": True, "open": action}
    return render(request, "analytics/topic.html", context, status=status)
