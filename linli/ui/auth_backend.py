"""Sign-in lockout for the sign-in page, without breaking sign-ins that have no HTTP request.

django-axes refuses ``authenticate()`` calls without a request. Programmatic checks (a
management command, the demo's login check, Django's test client ``login``) have none;
they are not a sign-in page that can be brute-forced, so they skip the lockout check.
"""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
