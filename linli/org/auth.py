"""How the JSON API knows who calls: a bearer token of an integration, or the browser's session.

Here in org (below every app) so each app's router can name its authentication without importing the top-level
``linli.api``. Staff operations admit staff members only; a router built with ``empower=True`` also admits the
accounts of instructors, volunteers and partner firms, and checks itself what each may see.
"""

from __future__ import annotations

from ninja.security import HttpBearer, SessionAuth

from linli.org.permissions import is_staff_member
from linli.org.services import api_token_authenticate


def _admitted(user, *, empower: bool):
    """The staff API admits staff members; operations built with ``empower=True`` also admit the accounts of
    instructors, volunteers and partner firms (which then check what those may see themselves)."""
    if user is None or empower or is_staff_member(user):
        return user
    return None


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer <secret>`` for integrations (hotline systems, Open311 clients)."""

    def __init__(self, *, empower: bool = False):
        super().__init__()
        self.empower = empower

    def authenticate(self, request, token):
        if not token or len(token) > 200:
            return None
        return _admitted(api_token_authenticate(secret=token.strip()), empower=self.empower)


class BrowserSessionAuth(SessionAuth):
    """Django's session login, with the CSRF check for state-changing requests.

    The CSRF check runs only when a session user is present: a request with no
    login at all is answered 401 (auth.required), not a CSRF 403.
    """

    def _get_key(self, request):
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def __init__(self, *, empower: bool = False):
        super().__init__()
        self.empower = empower

    def authenticate(self, request, key):
        return _admitted(request.user if request.user.is_authenticated else None, empower=self.empower)
