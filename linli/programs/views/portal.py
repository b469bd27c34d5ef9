"""The residents' side, on the portal (no sign-in, built for a phone): open programs, sign-up, my sign-up.

A resident gives a name and a phone (and, for a children's program, the child's name and age) and gets a
sign-up code. Coming back, the code and the last four digits of the phone show the sign-up: confirmed,
waitlisted with a position, or promoted from the waitlist when someone cancelled. Posts are rate-limited per
client address (core.ratelimit, like the tracking page), and wrong digits lock a code for an hour.
"""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from linli.core import ratelimit
from linli.core.errors import ApplicationError
from linli.core.ratelimit import RateLimited, client_ip
from linli.programs import selectors as sel
from linli.programs import services as s
from linli.programs.errors import ProgramNotFound
from linli.programs.states import SIGNUP_OPEN, SignUpStatus
from linli.ui.middleware import error_message

SIGNUP_LIMIT = (20, 600)  # sign-ups per client address per 10 minutes
MINE_LIMIT = (30, 60)  # look-ups per client address per minute
SESSION_KEY = "programs_codes"


class PortalProgramsRateLimited(RateLimited):
    code = "programs.rate_limited"
    message_zh = "操作太频繁，请稍后再试"
    message_en = "Too many requests from your network; please try again later"


def _limited(request, scope: str, default) -> ApplicationError | None:
    if ratelimit.hit(scope, client_ip(request), default=default):
        return None
    return PortalProgramsRateLimited(details={"retry_after": ratelimit.seconds_left(scope, default)})


def _remember(request, code: str) -> None:
    codes = [c for c in request.session.get(SESSION_KEY, []) if c != code]
    request.session[SESSION_KEY] = [code, *codes][:5]


def home(request):
    return render(request, "programs/portal/home.html", {"programs": sel.public_program_list()})


@require_http_methods(["GET", "POST"])
def program(request, pk: int):
    found = sel.public_program_get(program_id=pk)
    if found is None:
        raise ProgramNotFound()
    context = {"program": found, "taking": found.status in SIGNUP_OPEN, "form": {}, "error": None}
    if request.method == "POST" and context["taking"]:
        p = request.POST
        context["form"] = {k: p.get(k, "") for k in ("name", "phone", "child_name", "child_age")}
        error = _limited(request, "programs_signup", SIGNUP_LIMIT)
        if error is None and p.get("website"):  # the honeypot field people never see
            error = ApplicationError(
                "提交未被接受，请刷新页面后重试",
                "The sign-up was not accepted; reload and try again",
                code="programs.blocked",
            )
        if error is None:
            try:
                signup, created = s.signup_create(
                    program_id=found.pk,
                    name=p.get("name", ""),
                    phone=p.get("phone", ""),
                    child_name=p.get("child_name", ""),
                    child_age=p.get("child_age", ""),
                )
            except ApplicationError as exc:
                error = exc
            else:
                _remember(request, signup.code)
                return _mine(request, signup, created=created, again=not created)
        context.update(error=error, message=error_message(error))
        return render(request, "programs/portal/program.html", context, status=error.status)
    return render(request, "programs/portal/program.html", context)


def _mine(request, signup, *, created=False, again=False, cancelled=False, promoted=(), status=200):
    context = {
        "signup": signup,
        "program": signup.program,
        "sessions": list(signup.program.sessions.all()),
        "position": sel.waitlist_position(signup),
        "created": created,
        "again": again,
        "just_cancelled": cancelled,
        "can_cancel": signup.status != SignUpStatus.CANCELLED and signup.program.status in ("open", "closed"),
        "digits": signup.phone[-4:],
    }
    return render(request, "programs/portal/mine.html", context, status=status)


@require_http_methods(["GET", "POST"])
def mine(request):
    codes = request.session.get(SESSION_KEY, [])
    context = {"code": (request.GET.get("code") or (codes[0] if codes else ""))[:12], "error": None}
    if request.method == "POST":
        p = request.POST
        context["code"] = (p.get("code") or "").strip().upper()[:12]
        error = _limited(request, "programs_mine", MINE_LIMIT)
        if error is None:
            try:
                if p.get("cancel") == "1":
                    signup, _promoted = s.signup_cancel_own(
                        code=p.get("code", ""), phone_last4=p.get("phone_last4", "")
                    )
                    return _mine(request, signup, cancelled=True)
                signup = sel.signup_verify(code=p.get("code", ""), phone_last4=p.get("phone_last4", ""))
                _remember(request, signup.code)
                return _mine(request, signup)
            except ApplicationError as exc:
                error = exc
        context.update(error=error, message=error_message(error))
        response = render(request, "programs/portal/find.html", context, status=error.status)
        if error.details.get("retry_after"):
            response["Retry-After"] = str(error.details["retry_after"])
        return response
    return render(request, "programs/portal/find.html", context)
