"""Template helpers of the staff pages."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.translation import gettext, ngettext

register = template.Library()


@register.filter
def tr(value) -> str:
    """Translate a stored label (status, role, channel names are Chinese msgids in the catalogues)."""
    return gettext(str(value)) if value not in (None, "") else ""


@register.filter
def remaining(due: dt.datetime | None) -> str:
    """'还剩 2天3小时' / '已超期 5小时': the countdown a handler reads at a glance (the page script refreshes it)."""
    if not due:
        return ""
    seconds = int((due - timezone.now()).total_seconds())
    late = seconds < 0
    seconds = abs(seconds)
    days, hours, minutes = seconds // 86400, seconds % 86400 // 3600, seconds % 3600 // 60
    if days:
        span = ngettext("%(d)d天", "%(d)d天", days) % {"d": days} + ngettext(
            "%(h)d小时", "%(h)d小时", hours
        ) % {"h": hours}
    elif hours:
        span = ngettext("%(h)d小时", "%(h)d小时", hours) % {"h": hours} + ngettext(
            "%(m)d分", "%(m)d分", minutes
        ) % {"m": minutes}
    else:
        span = ngettext("%(m)d分", "%(m)d分", minutes) % {"m": minutes}
    return (gettext("已超期 %(span)s") if late else gettext("还剩 %(span)s")) % {"span": span}


@register.filter
def is_past(due: dt.datetime | None) -> bool:
    return bool(due and due < timezone.now())
