"""The resident portal (群众诉求): public, no sign-in, built for a phone.

A resident submits a demand (with an optional photo) and gets a tracking
code, tracks it with the code and the last four digits of the phone number,
and rates the reply. Bots are kept out by a honeypot field and a per-address
rate limit; a double tap on "submit" answers with the first receipt. The
staff-only photo download lives here too, because the photo comes from here.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from linli.core import ratelimit
from linli.core.errors import ApplicationError, AttachmentNotFound
from linli.core.files import attachment_response
from linli.core.ratelimit import RateLimited, client_ip
from linli.core.selectors import attachment_get, attachment_list
from linli.demands import services as s
from linli.demands.api.present import public_track
from linli.demands.desk_selectors import public_progress
from linli.demands.errors import DemandNotFound, TrackingLocked, TrackingMismatch, TransitionNotAllowed
from linli.demands.permissions import access_demand
from linli.demands.selectors import demand_track
from linli.demands.states import Channel, DemandStatus, EventKind
from linli.portal.forms import RatingForm, SubmitForm, TrackForm
from linli.ui.middleware import error_message, form_error
from linli.ui.pages import map_settings, staff_page

logger = logging.getLogger("linli.portal")

DEMAND_SUBJECT = "demand"
# Defaults of LINLI_PUBLIC_RATE_LIMITS: (requests, window in seconds). Submissions are counted per phone
# number, with a generous ceiling per client address, together with the public API (core.ratelimit);
# look-ups per address, and wrong digits per tracking code (demand_track).
TRACK_LIMIT = (30, 60)


class PortalBlocked(ApplicationError):
    code = "portal.blocked"
    status = 400
    message_zh = "提交已被拦截：表单中有一项不应填写的内容被填写了。如果您是本人填写，请刷新页面后重新提交，或拨打12345热线反映。"
    message_en = (
        "The submission was blocked: a field that must stay empty was filled in. "
        "If you filled in the form yourself, reload the page and submit again, or call the 12345 hotline."
    )


class PortalRateLimited(RateLimited):
    code = "portal.rate_limited"
    message_zh = "提交或查询太频繁，请稍后再试；紧急情况请直接拨打12345热线。"
    message_en = "Too many submissions or look-ups from your network; try again later, or call the 12345 hotline if it is urgent."


class PortalPhoneRateLimited(ratelimit.PhoneRateLimited):
    code = "portal.phone_rate_limited"
    message_zh = (
        "这个手机号刚刚已提交了多条诉求，请稍后再提交；您填写的内容已保留。紧急情况请直接拨打12345热线。"
    )
    message_en = (
        "This phone number has just submitted several demands; please submit again later (what you typed is kept). "
        "If it is urgent, call the 12345 hotline."
    )


def _refused(request, error: ApplicationError, *, retry_after: int | None = None):
    """A clear page for a refused request: the message in the resident's language, the code, the way back."""
    context = {"error": error, "message": error_message(error)}
    if retry_after:
        context["retry_minutes"] = max(1, (retry_after + 59) // 60)
    response = render(request, "portal/refused.html", context, status=error.status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _over_limit(request, scope: str, default: tuple[int, int]):
    """The 429 page if this address is over the scope's limit (the request is counted), else None."""
    address = client_ip(request)
    if ratelimit.hit(scope, address, default=default):
        return None
    logger.warning("portal rate limit %s reached by %s", scope, address)
    return _refused(request, PortalRateLimited(), retry_after=ratelimit.seconds_left(scope, default))


def _submit_refused(request, form: SubmitForm):
    """The form again, with what was typed and why it cannot go yet (429), if this phone or address is over its limit.

    Both counts are taken, so neither a phone nor an address can go round the other.
    """
    address = client_ip(request)
    address_wait = ratelimit.submit_address_hit(address)
    phone_wait = ratelimit.submit_phone_hit(form.cleaned_data["phone"])
    if not (address_wait or phone_wait):
        return None
    error, retry_after = (
        (PortalPhoneRateLimited(), phone_wait) if phone_wait else (PortalRateLimited(), address_wait)
    )
    logger.warning("portal rate limit %s reached (address %s)", error.code, address)
    form.add_error(None, form_error(error))  # the code in data-code only, never in the text
    context = {
        "form": form,
        "photo_lost": bool(request.FILES.get("photo")),
        "retry_minutes": max(1, (retry_after + 59) // 60),
    }
    response = render(request, "portal/submit.html", context, status=error.status)
    response["Retry-After"] = str(retry_after)
    return response


def home(request):
    return render(request, "portal/home.html", {})


def _register(data: dict) -> tuple[dict, bool]:
    """Register the demand and store its photo in one transaction, once per form token.

    If anything fails after the photo was written, the transaction rolls back
    and the file is removed, so there is neither a demand without its photo
    nor a photo without its demand.
    """

    def receipt(demand, photos) -> dict:
        return {
            "code": demand.code,
            "registered_at": timezone.localtime(demand.registered_at).isoformat(),
            "photo": bool(photos),
            "phone_last4": data["phone"][-4:],
        }

    submitted = s.demand_submit(
        actor=None,
        photos=[data["photo"]] if data["photo"] else [],
        once=s.Once(scope="portal:submit", key=data["form_token"], fingerprint="portal:submit"),
        receipt=receipt,
        channel=Channel.WEB,
        demand_type=data["demand_type"],
        text=data["text"],
        address=data["address"],
        community_id=data["community"],
        phone=data["phone"],
        name=data["name"],
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
    )
    return submitted.receipt, submitted.replayed


@require_http_methods(["GET", "POST"])
def submit(request):
    photo_lost = False
    if request.method == "POST":
        form = SubmitForm(request.POST, request.FILES)
        if form.honeypot_filled:
            logger.warning("portal submission blocked by the honeypot, from %s", client_ip(request))
            return _refused(request, PortalBlocked())
        if form.is_valid():
            refused = _submit_refused(request, form)
            if refused:
                return refused
            try:
                receipt, replayed = _register(form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(None, form_error(exc))
            except OSError:
                # The disk or the storage failed: nothing was registered; say so rather than a bare 500.
                logger.exception("portal submission failed while storing the photo")
                form.add_error("photo", _("照片保存失败，诉求未提交。请稍后重试，或不带照片提交。"))
            else:
                receipt["registered_at"] = dt.datetime.fromisoformat(receipt["registered_at"])
                return render(request, "portal/receipt.html", {"receipt": receipt, "replayed": replayed})
        # A browser never re-sends a chosen file: say so when a good photo was dropped for another error.
        photo_lost = bool(request.FILES.get("photo")) and "photo" not in form.errors
    else:
        form = SubmitForm()
    context = {"form": form, "photo_lost": photo_lost, **map_settings()}
    return render(request, "portal/submit.html", context)


def _track_refused(request, form, error: TrackingMismatch):
    """The tracking form again with why: wrong digits, or a code locked for a while (how long, and what to do)."""
    context = {"form": form, "error": error, "message": error_message(error)}
    response = render(request, "portal/track.html", _with_wait(context, error), status=error.status)
    if isinstance(error, TrackingLocked) and error.details.get("retry_after"):
        response["Retry-After"] = str(error.details["retry_after"])
    return response


def _with_wait(context: dict, error) -> dict:
    wait = error.details.get("retry_after") if isinstance(error, TrackingLocked) else None
    if isinstance(wait, int) and wait > 0:
        context["retry_minutes"] = max(1, (wait + 59) // 60)
    return context


def _result(request, demand, *, rating_form=None, error=None, rated=False, status=200):
    """The tracking answer: only what ``public_track`` shows a resident, plus the rating form while it applies."""
    can_rate = demand.status == DemandStatus.REPLIED
    if can_rate and rating_form is None:
        digits = demand.complainant.phone[-4:] if demand.complainant_id else ""
        rating_form = RatingForm(initial={"code": demand.code, "phone_last4": digits})
    context = {
        "result": public_track(demand),
        "rating_form": rating_form if can_rate else None,
        "rated": rated or demand.status in (DemandStatus.CALLED_BACK, DemandStatus.CLOSED),
        "error": error,
        "message": error_message(error) if error else "",
        "just_rated": rated,
        "progress": public_progress(demand=demand),
        "resident_text": demand.text,
        "next_step": _next_step(demand),
    }
    return render(request, "portal/track_result.html", context, status=status)


def _next_step(demand) -> str:
    """After an unsatisfied answer, what happens next, in words for the resident."""
    if demand.status == DemandStatus.CALLED_BACK and (
        demand.resolved is False or demand.satisfaction == "unsatisfied"
    ):
        return "unsatisfied"
    reopened = any(e.kind == EventKind.REOPENED for e in demand.events.all())
    if reopened and demand.status in (DemandStatus.DISPATCHED, DemandStatus.IN_PROGRESS):
        return "reopened"
    return ""


@require_http_methods(["GET", "POST"])
def track(request):
    if request.method == "POST":
        refused = _over_limit(request, "portal_track", TRACK_LIMIT)
        if refused:
            return refused
        form = TrackForm(request.POST)
        if form.is_valid():
            try:
                demand = demand_track(
                    code=form.cleaned_data["code"], phone_last4=form.cleaned_data["phone_last4"]
                )
            except TrackingMismatch as exc:
                return _track_refused(request, form, exc)
            else:
                return _result(request, demand)
    else:
        form = TrackForm(initial={"code": (request.GET.get("code") or "")[:32]})
    return render(request, "portal/track.html", {"form": form, "error": None, "message": ""})


@require_POST
def rate(request):
    refused = _over_limit(request, "portal_track", TRACK_LIMIT)
    if refused:
        return refused
    form = RatingForm(request.POST)
    code, digits = request.POST.get("code", ""), request.POST.get("phone_last4", "")
    try:
        if not form.is_valid():
            return _result(request, demand_track(code=code, phone_last4=digits), rating_form=form)
        data = form.cleaned_data
        try:
            s.demand_rate_by_resident(
                code=data["code"],
                phone_last4=data["phone_last4"],
                resolved=data["resolved"] == "yes",
                satisfaction=data["satisfaction"],
                note=data["note"],
            )
        except TransitionNotAllowed as exc:
            return _result(request, demand_track(code=code, phone_last4=digits), error=exc, status=exc.status)
        except TrackingMismatch:
            raise
        except ApplicationError as exc:
            form.add_error(None, error_message(exc))
            return _result(request, demand_track(code=code, phone_last4=digits), rating_form=form)
        return _result(request, demand_track(code=code, phone_last4=digits), rated=True)
    except TrackingMismatch as exc:
        return _track_refused(request, TrackForm(initial={"code": code[:32]}), exc)


@staff_page()
def attachment(request, pk: int):
    """A stored photo, for staff who may see its demand; 404 alike for no such file and no access."""
    row = attachment_get(attachment_id=pk)
    if row.subject_type != DEMAND_SUBJECT:
        raise AttachmentNotFound()
    try:
        access_demand(request.user, row.subject_id)
    except DemandNotFound:
        raise AttachmentNotFound() from None
    return attachment_response(row, download=request.GET.get("download") == "1")


def demand_photos(demand_id: int) -> list:
    """The photos of a demand, for a staff page that has already authorized the demand."""
    return list(attachment_list(subject_type=DEMAND_SUBJECT, subject_id=demand_id))


__all__ = ["attachment", "demand_photos", "home", "rate", "submit", "track"]
