"""Being built."""

from django.http import HttpResponse
from django.shortcuts import redirect

from linli.web.views._common import staff_page


@staff_page()
def _todo(request, *args, **kwargs):
    return HttpResponse("")


def home(request):
    return redirect("web:login") if not request.user.is_authenticated else _todo(request)


intake = intake_suggest = queue = inbox = approvals = _todo
demand_list = demand_export = demand_page = demand_action = _todo
