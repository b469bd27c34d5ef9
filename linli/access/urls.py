from django.urls import path

from linli.access.views import community, ledger, office, public, requests

app_name = "access"

urlpatterns = [
    path("", requests.home, name="home"),
    path("requests/", requests.request_list, name="requests"),
    path("requests/new/", requests.request_new, name="request_new"),
    path("requests/<int:request_id>/", requests.request_detail, name="request_detail"),
    path("requests/<int:request_id>/decide/", requests.request_decide, name="request_decide"),
    path("requests/<int:request_id>/opinion/", requests.request_opinion, name="request_opinion"),
    path("approvals/", office.approvals, name="approvals"),
    path("catalogue/", office.catalogue, name="catalogue"),
    path("catalogue/v<int:number>/", office.catalogue, name="catalogue_version"),
    path("catalogue/v<int:number>/export/", office.catalogue_export, name="catalogue_export"),
    path("catalogue/v<int:number>/publish/", office.catalogue_publish, name="catalogue_publish"),
    path("catalogue/diff/", office.catalogue_diff, name="catalogue_diff"),
    path("catalogue/import/", office.catalogue_import, name="catalogue_import"),
    path("catalogue/draft/", office.catalogue_draft, name="catalogue_draft"),
    path("inbox/", community.inbox, name="inbox"),
    path("inbox/outside/", community.task_outside, name="task_outside"),
    path("tasks/<int:task_id>/", community.task_detail, name="task_detail"),
    path("tasks/<int:task_id>/files/<int:file_id>/", community.task_file, name="task_file"),
    path("tasks/<int:task_id>/refuse/", community.task_refuse, name="task_refuse"),
    path("tasks/<int:task_id>/report/", community.task_report, name="task_report"),
    path("plaques/", community.plaques, name="plaques"),
    path("certificates/", community.certificates, name="certificates"),
    path("ledger/", ledger.ledger, name="ledger"),
    path("lookup/", public.lookup, name="lookup"),
]
