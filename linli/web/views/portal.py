"""The resident portal (being built)."""

from django.shortcuts import render


def home(request):
    return render(request, "web/portal/home.html", {})
