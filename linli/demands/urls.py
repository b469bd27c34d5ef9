"""The demand pages: intake, queue, inbox, approvals, the list and the demand page.

No ``app_name``: ``linli.portal.site_urls`` mounts these in the staff site's namespace ``web``.
"""

from django.urls import path

from linli.demands.views import demand_page, lists, map, workbench

urlpatterns = [
    path("intake/", workbench.intake, name="intake"),
    path("intake/suggest/", workbench.intake_suggest, name="intake_suggest"),
    path("queue/", workbench.queue, name="queue"),
    path("inbox/", workbench.inbox, name="inbox"),
    path("approvals/", workbench.approvals, name="approvals"),
    path("demands/", lists.demand_list, name="demand_list"),
    path("demands/export.<str:fmt>", lists.demand_export, name="demand_export"),
    path("demands/<int:pk>/", demand_page.demand_page, name="demand_detail"),
    path("demands/<int:pk>/do/<str:action>/", demand_page.demand_action, name="demand_action"),
    path("map/", map.demand_map, name="demand_map"),
    path("map/points.json", map.demand_map_points, name="demand_map_points"),
]
