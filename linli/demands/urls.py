from django.urls import path

from linli.web.views import auth, dashboard, demand_page, hotspots, lists, quality, topics, workbench

app_name = "web"

urlpatterns = [
    path("", workbench.home, name="home"),
    path("login/", auth.LoginPage.as_view(), name="login"),
    path("logout/", auth.LogoutPage.as_view(), name="logout"),
    path("intake/", workbench.intake, name="intake"),
    path("intake/suggest/", workbench.intake_suggest, name="intake_suggest"),
    path("queue/", workbench.queue, name="queue"),
    path("inbox/", workbench.inbox, name="inbox"),
    path("approvals/", workbench.approvals, name="approvals"),
    path("demands/", lists.demand_list, name="demand_list"),
    path("demands/export.<str:fmt>", lists.demand_export, name="demand_export"),
    path("demands/<int:pk>/", demand_page.demand_page, name="demand_detail"),
    path("demands/<int:pk>/do/<str:action>/", demand_page.demand_action, name="demand_action"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dispatch-quality/", quality.dispatch_quality_page, name="dispatch_quality"),
    path("hotspots/", hotspots.hotspots_page, name="hotspots"),
    path("topics/", topics.topics_page, name="topics"),
    path("topics/new/", topics.topic_new, name="topic_new"),
    path("topics/<int:pk>/", topics.topic_page, name="topic_detail"),
    path("topics/<int:pk>/do/<str:action>/", topics.topic_action, name="topic_action"),
]
