"""The volunteer's own phone page: my shifts, check in/out, ask for a swap, my hours, the certificate."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core import clock
from linli.core.errors import ApplicationError
from linli.empower import selectors as sel
from linli.empower import services as s
from linli.empower.permissions import access_assignment, own_volunteer
from linli.empower.report import hours_certificate
from linli.empower.states import AssignmentStatus
from linli.empower.views._common import error_message, refuse, signed_in_page


def _mine(request):
    volunteer = own_volunteer(request.user)
    if volunteer is None:
        refuse()
    return volunteer


@signed_in_page
def me(request):
    volunteer = _mine(request)
    today = clock.today()
    days = {"7": 7, "28": 28}.get(request.GET.get("days", ""), 14)
    shifts = sel.my_shifts(volunteer=volunteer, date_from=today, days=days)
    rows = [
        {
            "a": a,
            "today": a.shift.date == today,
            "swap_open": any(r.status == "open" for r in a.swap_requests.all()),
        }
        for a in shifts
    ]
    minutes = sel.volunteer_minutes(volunteer=volunteer)
    return render(
        request,
        "empower/me.html",
        {
            "volunteer": volunteer,
            "rows": rows,
            "level": sel.level_for(minutes),
            "ledger": sel.hours_ledger(volunteer=volunteer)[-10:],
            "days": days,
            "S": AssignmentStatus,
        },
    )


@signed_in_page
@require_POST
def me_act(request, pk: int, action: str):
    _mine(request)
    row = access_assignment(request.user, pk, own=True)
    try:
        if action == "check-in":
            _row, changed = s.assignment_check_in(actor=request.user, assignment_id=row.pk)
            messages.success(request, _("签到成功") if changed else _("已经签到过了，无需重复签到"))
        elif action == "check-out":
            _row, changed = s.assignment_check_out(actor=request.user, assignment_id=row.pk)
            messages.success(request, _("签退成功，服务时长已记入") if changed else _("已经签退过了"))
        elif action == "swap":
            s.swap_request(actor=request.user, assignment_id=row.pk, reason=request.POST.get("reason", ""))
            messages.success(request, _("换班申请已提交，社区会帮您找人替班"))
        else:
            refuse()
    except ApplicationError as exc:
        messages.error(request, error_message(exc))
    return redirect(reverse("empower:me"))


@signed_in_page
def me_hours(request):
    volunteer = _mine(request)
    ledger = sel.hours_ledger(volunteer=volunteer)
    level = sel.level_for(sum(a.minutes for a in ledger))
    return render(
        request, "empower/me_hours.html", {"volunteer": volunteer, "ledger": ledger, "level": level}
    )


@signed_in_page
def me_certificate(request):
    volunteer = _mine(request)
    response = HttpResponse(
        hours_certificate(volunteer=volunteer),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="volunteer-hours.xlsx"'
    return response
