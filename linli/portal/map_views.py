"""The portal's map: community boundaries, open demands near a picked point, and "我也遇到".

All public (a resident has no account): boundaries are public information; nearby demands come in their public
shape (no text, no person, position to about 100 m); "我也遇到" needs the resident's phone and is rate-limited
per address and per phone like a submission.
"""

from __future__ import annotations

import logging

from django import forms
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from linli.core import ratelimit
from linli.core.errors import ApplicationError
from linli.demands import services as s
from linli.demands.map_selectors import nearby_open_demands
from linli.org.selectors import boundaries_geojson, community_at
from linli.portal.forms import MOBILE, normalise_phone
from linli.ui.middleware import error_message

logger = logging.getLogger("linli.portal")

NEARBY_LIMIT = (60, 60)
ME_TOO_LIMIT = (10, 600)


@require_GET
def boundaries(request):
    """The communities' and villages' boundaries as GeoJSON (cached by the browser for an hour)."""
    collection = boundaries_geojson(level=None)
    collection["features"] = [
        f for f in collection["features"] if f["properties"]["level"] in ("community", "village")
    ]
    response = JsonResponse(collection, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _point(request) -> tuple[float, float] | None:
    try:
        lat, lng = float(request.GET.get("lat", "")), float(request.GET.get("lng", ""))
    except ValueError:
        return None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return None
    return lat, lng


@require_GET
def nearby(request):
    """Open demands within 500 m of the point, and the community the point is in (an htmx partial)."""
    if not ratelimit.hit("portal_nearby", ratelimit.client_ip(request), default=NEARBY_LIMIT):
        return render(request, "portal/partials/nearby.html", {"limited": True}, status=429)
    point = _point(request)
    if point is None:
        return render(request, "portal/partials/nearby.html", {"bad_point": True}, status=422)
    community = community_at(latitude=point[0], longitude=point[1])
    context = {
        "items": nearby_open_demands(latitude=point[0], longitude=point[1], radius_m=500),
        "community": community,
    }
    response = render(request, "portal/partials/nearby.html", context)
    if community is not None:
        response["HX-Trigger"] = f'{{"linli:community": {community.pk}}}'
    return response


class MeTooForm(forms.Form):
    # named apart from the submission form's fields: the partial sits inside that form
    metoo_phone = forms.CharField(label=_("手机号"), max_length=20)
    metoo_name = forms.CharField(label=_("称呼（可不填）"), max_length=40, required=False)

    def clean_metoo_phone(self) -> str:
        phone = normalise_phone(self.cleaned_data["metoo_phone"])
        if not MOBILE.match(phone):
            raise forms.ValidationError(_("请输入11位手机号，例如 13812345678"), code="phone")
        return phone


@require_POST
def me_too(request, pk: int):
    """Add the resident to an open demand nearby: counted once, told by SMS, followed with their own phone."""
    form = MeTooForm(request.POST)
    context: dict = {"pk": pk, "form": form}
    if not ratelimit.hit("portal_me_too", ratelimit.client_ip(request), default=ME_TOO_LIMIT):
        context["error"] = _("提交过于频繁，请稍后再试。")
        return render(request, "portal/partials/me_too.html", context, status=429)
    if not form.is_valid():
        return render(request, "portal/partials/me_too.html", context, status=422)
    try:
        demand, added = s.demand_me_too(
            demand_id=pk,
            phone=form.cleaned_data["metoo_phone"],
            name=form.cleaned_data["metoo_name"],
            channel="web",
        )
    except ApplicationError as exc:
        context["error"] = error_message(exc)
        return render(request, "portal/partials/me_too.html", context, status=exc.status)
    context.update(done=True, added=added, code=demand.code, supporters=demand.supporters)
    return render(request, "portal/partials/me_too.html", context)
