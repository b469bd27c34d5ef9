"""Batches from the desk pages: the ticked demands through ``demands_batch``, with a result for each one.

The inbox signs, the dispatch queue dispatches to the same units, the callback worklist records an outcome,
the demand list archives. Every item is reported ("28 件已签收，2 件已被他人签收"); demands this person may not
see are "未找到" and nothing of theirs changes. When every item went through and the page asked to come back,
the person goes back to it with the summary as a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linli.core.errors import NotFound, ValidationFailed
from linli.demands.services.desk import demands_batch
from linli.demands.views.forms import CallbackOutcomeForm, DispatchForm
from linli.ui.pages import staff_page

DONE = {
    "sign": gettext_lazy("已签收"),
    "dispatch": gettext_lazy("已派单"),
    "callback": gettext_lazy("已记录回访"),
    "close": gettext_lazy("已归档"),
}
ACTION_LABELS = {
    "sign": gettext_lazy("批量签收"),
    "dispatch": gettext_lazy("批量派单"),
    "callback": gettext_lazy("回访结果"),
    "close": gettext_lazy("批量归档"),
}
OUTCOMES = {
    "conflict": gettext_lazy("已被他人处理或状态已变"),
    "refused": gettext_lazy("无权办理"),
    "not_found": gettext_lazy("未找到"),
    "invalid": gettext_lazy("不符合办理条件"),
}


def _form_errors(form) -> dict:
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


def _params(action: str, post) -> dict:
    """The action's parameters from the form, checked like the single action's form checks them."""
    if action == "dispatch":
        form = DispatchForm(post)
        if not form.is_valid():
            raise ValidationFailed("派单信息有误", "The dispatch form has errors", details=_form_errors(form))
        d = form.cleaned_data
        return {
            "lead_unit_id": d["lead_unit"].pk,
            "assisting_unit_ids": [u.pk for u in d["assisting_units"] or []],
            "category_id": d["category"].pk if d["category"] else None,
            "instructions": d["instructions"],
        }
    if action == "callback":
        form = CallbackOutcomeForm(post)
        if not form.is_valid():
            raise ValidationFailed(
                "请选择回访结果", "Choose the callback outcome", details=_form_errors(form)
            )
        outcome = form.cleaned_data["outcome"]
        if outcome == "unreachable":
            return {"outcome": "unreachable", "note": form.cleaned_data["note"]}
        return {
            "resolved": outcome != "unsatisfied",
            "satisfaction": outcome,
            "note": form.cleaned_data["note"],
        }
    if action == "close":
        return {"note": (post.get("note") or "").strip()}
    return {}


def summary(action: str, counts: dict[str, int]) -> str:
    parts = []
    if counts.get("done"):
        parts.append(_("%(n)s 件%(done)s") % {"n": counts["done"], "done": DONE[action]})
    for outcome, label in OUTCOMES.items():
        if counts.get(outcome):
            parts.append(_("%(n)s 件%(what)s") % {"n": counts[outcome], "what": label})
    return _("，").join(parts)


@require_POST
@staff_page()
def demands_batch_page(request, action: str):
    if action not in DONE:
        raise NotFound(details={"action": action})
    raw = request.POST.getlist("id")
    if any(not v.isdigit() for v in raw):
        raise ValidationFailed("诉求编号有误", "Bad demand id", details={"id": raw})
    params = _params(action, request.POST)
    result = demands_batch(actor=request.user, action=action, demand_ids=[int(v) for v in raw], params=params)
    text = summary(action, result.counts)
    back = request.POST.get("next", "")
    safe_back = back if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) else ""
    if safe_back and result.counts.get("done") == len(result.items):
        messages.success(request, text)
        if action == "callback" and params.get("satisfaction") == "unsatisfied" and len(result.items) == 1:
            # not satisfied: the next step is to reopen it, on the demand page with the reopen form open
            messages.info(request, _("群众不满意：请填写重办理由，重新交办。"))
            url = reverse("web:demand_detail", args=[result.items[0].demand_id])
            return redirect(f"{url}?open=reopen#action-reopen-0")
        return redirect(safe_back)
    return render(
        request,
        "demands/desk/batch_result.html",
        {
            "action": action,
            "action_label": ACTION_LABELS[action],
            "summary": text,
            "items": result.items,
            "done_label": DONE[action],
            "outcome_labels": OUTCOMES,
            "back": safe_back,
        },
    )
