"""The desk's own pages: the callback worklist, progress notes with their files, and background exports."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core.errors import ApplicationError, AttachmentNotFound, NotFound
from linli.core.files import attachment_response
from linli.core.selectors import attachment_get
from linli.demands.desk_selectors import callback_worklist, export_job_get, export_job_list
from linli.demands.permissions import access_demand
from linli.demands.selectors import phone_for
from linli.demands.services.desk import PROGRESS_SUBJECT, assignment_progress
from linli.demands.views.forms import CallbackOutcomeForm, ProgressForm
from linli.org.states import Role
from linli.ui.middleware import form_error
from linli.ui.pages import page_of, query_without_page, staff_page

CALLBACK_ROLES = (Role.HOTLINE_AGENT, Role.DISPATCHER, Role.ADMIN)


@staff_page(*CALLBACK_ROLES)
def callbacks(request):
    """Replied demands to call back, oldest deadline first: the reply to read out and one click per outcome."""
    page = page_of(request, callback_worklist(user=request.user))
    rows = [(d, phone_for(user=request.user, demand=d)) for d in page]
    return render(
        request,
        "demands/desk/callbacks.html",
        {
            "page": page,
            "rows": rows,
            "base_query": query_without_page(request),
            "outcomes": CallbackOutcomeForm(),
        },
    )


@require_POST
@staff_page()
def progress_add(request, pk: int, assignment_id: int):
    """A handling unit's progress note, with files and the 公开给群众 box; errors come back on the demand page."""
    demand = access_demand(request.user, pk)
    form = ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            assignment_progress(
                actor=request.user,
                demand_id=demand.pk,
                assignment_id=assignment_id,
                note=form.cleaned_data["note"],
                public=form.cleaned_data["public"],
                files=request.FILES.getlist("files"),
            )
        except ApplicationError as exc:
            form.add_error(None, form_error(exc))
        else:
            messages.success(request, _("已记录办理进展"))
            return redirect("web:demand_detail", demand.pk)
    from linli.demands.views.demand_page import render_with_progress_error

    return render_with_progress_error(request, demand, form, assignment_id)


@staff_page()
def progress_file(request, pk: int, attachment_id: int):
    """A progress note's file, for whoever may open the demand; 404 alike for no such file and no access."""
    demand = access_demand(request.user, pk)
    row = attachment_get(attachment_id=attachment_id)
    if row.subject_type != PROGRESS_SUBJECT or not demand.assignments.filter(pk=row.subject_id).exists():
        raise AttachmentNotFound()
    return attachment_response(row, download=request.GET.get("download") == "1")


@staff_page()
def exports(request):
    """This person's background exports; the table refreshes itself (htmx) while one is still being made."""
    jobs = list(export_job_list(user=request.user))
    context = {"jobs": jobs, "pending": any(j.state in ("queued", "running") for j in jobs)}
    if request.htmx and request.htmx.target == "export-jobs":
        return render(request, "demands/desk/exports.html#export-jobs", context)
    return render(request, "demands/desk/exports.html", context)


@staff_page()
def export_download(request, job_id: int):
    job = export_job_get(user=request.user, job_id=job_id)
    if job.state != "done" or not job.file:
        raise NotFound(details={"export": job_id, "state": job.state})
    name = f"demands-{job.created_at:%Y%m%d-%H%M}-{job.pk}.{job.fmt}"
    response: HttpResponse = FileResponse(job.file.open("rb"), as_attachment=True, filename=name)
    return response
