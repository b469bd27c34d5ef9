"""The demand page: every field, the timeline, assignments with countdowns, and the actions open to this person."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core.errors import ApplicationError, NotFound
from linli.core.selectors import attachment_list
from linli.demands.desk_selectors import progress_files
from linli.demands.permissions import access_demand, visible_demands
from linli.demands.selectors import demand_detail, phone_for
from linli.demands.services._base import policy_for
from linli.demands.states import AssignmentStatus, DemandStatus
from linli.demands.views.actions import ACTIONS, Offer, available_actions, find_target
from linli.demands.views.extensions import demand_page_links
from linli.demands.views.forms import ProgressForm
from linli.demands.views.suggest import suggestion_for
from linli.dispatch.selectors import route_unit
from linli.org.permissions import can_dispatch
from linli.org.permissions import is_unit_staff as can_handle
from linli.ui.middleware import form_error
from linli.ui.pages import staff_page


def _dispatch_initial(demand, suggestion) -> dict:
    """The dispatch form starts from the demand's category (or the suggested one) and the unit the catalogue names."""
    if demand.status != DemandStatus.REGISTERED:
        return {}
    if demand.category_id:
        unit_id = route_unit(category=demand.category, community=demand.community)
        return {"dispatch": {"category": demand.category_id, "lead_unit": unit_id}}
    if suggestion is None or suggestion.category_id is None:
        return {}
    initial = {"category": suggestion.category_id, "lead_unit": suggestion.lead_unit_id}
    initial["assisting_units"] = [unit_id for unit_id, _name in suggestion.assisting]
    return {"dispatch": initial}


def _progress(request, demand, *, failed=None) -> dict:
    """The progress form for each signed assignment of this person's unit, and each note's files."""
    user = request.user
    forms = []
    if demand.status in (DemandStatus.DISPATCHED, DemandStatus.IN_PROGRESS) and user.unit_id:
        for a in demand.assignments.all():
            if a.unit_id == user.unit_id and a.status == AssignmentStatus.SIGNED and can_handle(user):
                form = failed[1] if failed is not None and failed[0] == a.pk else ProgressForm()
                forms.append((a, form))
    return {"progress_forms": forms, "progress_files": progress_files(demand=demand)}


def _context(request, demand, *, failed=None, progress_failed=None):
    suggestion = None
    if demand.status == DemandStatus.REGISTERED and can_dispatch(request.user):
        suggestion = suggestion_for(
            text=demand.text,
            title=demand.title,
            community_id=demand.community_id,
            exclude_demand_id=demand.pk,
        )
    offers = available_actions(request.user, demand, initial=_dispatch_initial(demand, suggestion))
    for offer in offers:
        if (
            offer.action.name == "extension"
        ):  # the form states the policy's limit (15 working days by default)
            limit = policy_for(demand).max_extension_days
            offer.form.fields["days"].help_text = _("最多 %(n)s 个工作日；每个承办单位只能申请一次") % {
                "n": limit
            }
            offer.form.fields["days"].widget.attrs["max"] = limit
    if failed is not None:  # the form that failed is shown again, with what the person typed and the errors
        keys = [offer.key for offer in offers]
        if failed.key in keys:
            offers[keys.index(failed.key)] = failed
        else:  # no longer open (someone acted first): still shown once, with the reason
            offers.insert(0, failed)
    return {
        "demand": demand,
        "phone": phone_for(user=request.user, demand=demand),
        "offers": offers,
        "suggestion": suggestion,
        "can_merge": any(o.action.name == "merge" for o in offers),
        "failed_key": failed.key if failed is not None else "",
        "events": list(demand.events.all()),
        "assignments": list(demand.assignments.all()),
        "callbacks": list(demand.callbacks.all()),
        "duplicates": (duplicates := list(demand.duplicates.all())),
        # Links only to the related demands this person may open (a unit sees its own, not a duplicate's).
        "linkable": set(
            visible_demands(request.user)
            .filter(pk__in=[d.pk for d in duplicates] + [demand.master_id or 0])
            .values_list("pk", flat=True)
        ),
        "photos": list(attachment_list(subject_type="demand", subject_id=demand.pk)),
        "page_links": demand_page_links(request.user, demand),
        "open_key": "reopen-0" if request.GET.get("open") == "reopen" else "",
        **_progress(request, demand, failed=progress_failed),
    }


@staff_page()
def demand_page(request, pk: int):
    demand = demand_detail(demand=access_demand(request.user, pk))
    return render(request, "demands/demand.html", _context(request, demand))


@require_POST
@staff_page()
def demand_action(request, pk: int, action: str):
    """Run one action. Success: back to the page with a message. Failure: the same form, input kept, error in place."""
    demand = demand_detail(demand=access_demand(request.user, pk))
    spec = ACTIONS.get(action)
    if spec is None:
        raise NotFound(details={"action": action})
    raw_target = request.POST.get("target") or ""
    target = find_target(spec, demand, int(raw_target) if raw_target.isdigit() else None)
    if spec.not_theirs(request.user, demand, target):
        raise NotFound(details={"action": action})  # not offered to this person: same answer as unknown
    form = spec.form(request.POST)
    error = None
    if form.is_valid():
        try:
            spec.run(request.user, demand, target, form.cleaned_data, form.cleaned_data.get("version"))
        except ApplicationError as exc:
            error = exc
        else:
            messages.success(request, _("已完成：%(action)s") % {"action": spec.label})
            url = reverse("web:demand_detail", args=[demand.pk])
            back = request.POST.get("next", "")
            if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
                url = back
            if request.htmx:
                response = HttpResponse(status=204)
                response["HX-Redirect"] = url
                return response
            return redirect(url)
    offer = Offer(spec, target, form)
    if error is not None:
        form.add_error(None, form_error(error))
    status = error.status if error is not None else 422
    if request.htmx:
        return render(
            request,
            "demands/partials/action_form.html",
            {"offer": offer, "demand": demand, "open": True},
            status=status,
        )
    return render(request, "demands/demand.html", _context(request, demand, failed=offer), status=status)


def render_with_progress_error(request, demand, form, assignment_id: int):
    """The demand page again with the progress form that failed, what was typed kept, the error in place."""
    demand = demand_detail(demand=demand)
    context = _context(request, demand, progress_failed=(assignment_id, form))
    return render(request, "demands/demand.html", context, status=422)
