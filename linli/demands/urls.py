"""The demand pages: intake, queue, inbox, approvals, the list and the demand page.

No ``app_name``: ``linli.portal.site_urls`` mounts these in the staff site's namespace ``web``.
"""

from django.urls import path

from linli.demands.views import batch, demand_page, desk_pages, lists, map, printing, workbench

urlpatterns = [
    path("intake/", workbench.intake, name="intake"),
    path("intake/suggest/", workbench.intake_suggest, name="intake_suggest"),
    path("queue/", workbench.queue, name="queue"),
    path("inbox/", workbench.inbox, name="inbox"),
    path("approvals/", workbench.approvals, name="approvals"),
    path("demands/", lists.demand_list, name="demand_list"),
    path("demands/export.<str:fmt>", lists.demand_export, name="demand_export"),
    path("demands/filters/", lists.saved_filter_add, name="saved_filter_add"),
    path("demands/filters/<int:filter_id>/delete/", lists.saved_filter_remove, name="saved_filter_remove"),
    path("demands/<int:pk>/", demand_page.demand_page, name="demand_detail"),
    path("demands/<int:pk>/do/<str:action>/", demand_page.demand_action, name="demand_action"),
    path("map/", map.demand_map, name="demand_map"),
    path("map/points.json", map.demand_map_points, name="demand_map_points"),
    path("demands/<int:pk>/print/", printing.demand_print, name="demand_print"),
    path("demands/print/", printing.demands_print, name="demands_print"),
    path("demands/batch/<str:action>/", batch.demands_batch_page, name="demands_batch"),
    path(
        "demands/<int:pk>/assignments/<int:assignment_id>/progress/",
        desk_pages.progress_add,
        name="progress_add",
    ),
    path(
        "demands/<int:pk>/progress-files/<int:attachment_id>/", desk_pages.progress_file, name="progress_file"
    ),
    path("callbacks/", desk_pages.callbacks, name="callbacks"),
    path("exports/", desk_pages.exports, name="exports"),
    path("exports/<int:job_id>/download/", desk_pages.export_download, name="export_download"),
]
