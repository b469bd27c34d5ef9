"""What every staff page shares: the sign-in and role checks, paging."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator

from linli.core.errors import PermissionDenied

PAGE_SIZE = 25


def _nobody(user) -> bool:
    return False


# Who counts as staff for a page without roles: set by the org app in its ``ready()`` (org knows the roles;
# ui sits below it). Until then nobody does: a misconfigured site refuses rather than opens.
_staff_member = _nobody


def staff_member_rule_set(rule) -> None:
    global _staff_member
    _staff_member = rule


def staff_page(*roles):
    """Sign-in required; with roles given, only those roles (others get the 403 page with a code).

    Without roles, any staff member: the accounts of instructors, volunteers and partner firms are refused.
    """

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if (roles and request.user.role not in roles) or not _staff_member(request.user):
                raise PermissionDenied()
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def page_of(request, queryset, size: int = PAGE_SIZE):
    """One page of a queryset; a page number out of range gives the last page, garbage gives the first."""
    paginator = Paginator(queryset, size)
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def map_settings() -> dict:
    """What a page with a map needs: the optional tile server drawn under the boundaries (none by default)."""
    from django.conf import settings

    return {"map_tiles": settings.LINLI_MAP_TILE_URL, "map_attribution": settings.LINLI_MAP_TILE_ATTRIBUTION}
