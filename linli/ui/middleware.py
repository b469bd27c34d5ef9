"""One handler maps application errors to HTML (the JSON API has its own in ``linli.api``).

A page that raises ``DemandNotFound`` answers 404, a refused action 403, a
stale form 409: each with the stable code and the message in the user's language.
An htmx request gets only the message fragment, so it can land next to the form.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import get_language

from linli.core.errors import ApplicationError
from linli.core.hant import to_traditional


def error_message(error: ApplicationError) -> str:
    """The message in the person's language: English, Simplified, or Traditional derived from Simplified."""
    language = (get_language() or "").lower()
    if language.startswith("en"):
        return error.message_en
    if language in ("zh-hant", "zh-tw", "zh-hk"):
        return to_traditional(error.message_zh)
    return error.message_zh


def form_error(error: ApplicationError) -> ValidationError:
    """A service's refusal as a form error: the message for the person, the stable code kept for machines only
    (templates put it in a ``data-code`` attribute, never in the text)."""
    return ValidationError(error_message(error), code=error.code)


class ApplicationErrorPages:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ApplicationError) or request.path.startswith("/api/"):
            return None
        template = "ui/partials/error.html" if getattr(request, "htmx", False) else "ui/error.html"
        context = {"error": exception, "message": error_message(exception)}
        return render(request, template, context, status=exception.status)


class ChineseFirst:
    """Simplified Chinese unless the person chose otherwise (the language switch sets a cookie).

    The browser's Accept-Language is honoured only for Chinese variants (a Taiwan or Hong Kong
    browser gets Traditional characters); an English browser on a Chinese office PC still sees the
    language of the office. Placed before Django's LocaleMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        accept = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
        if accept and not accept.lower().lstrip().startswith("zh"):
            request.META["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
        return self.get_response(request)
