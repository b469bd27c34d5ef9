"""The leaders' and coordination office's dashboard (being built)."""

from django.shortcuts import render

from linli.web.views._common import staff_page


@staff_page()
def dashboard(request):
    return render(request, "web/dashboard.html", {})
