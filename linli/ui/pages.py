"""What every staff page shares: the sign-in and role checks, paging."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator

from linli.core.errors import PermissionDenied

PAGE_SIZE = 25


def staff_page(*roles):
    """Sign-in required; with roles given, only those roles (others get the 403 page with a code)."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if roles and request.user.role not in roles:
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
