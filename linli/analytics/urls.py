"""The analysis pages: the dashboard, hot issues and 每月一题 topics.

No ``app_name``: ``linli.portal.site_urls`` mounts these in the staff site's namespace ``web``.
"""

from django.urls import path

from linli.analytics.views import dashboard, hotspots, topics

urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("hotspots/", hotspots.hotspots_page, name="hotspots"),
    path("topics/", topics.topics_page, name="topics"),
    path("topics/new/", topics.topic_new, name="topic_new"),
    path("topics/<int:pk>/", topics.topic_page, name="topic_detail"),
    path("topics/<int:pk>/do/<str:action>/", topics.topic_action, name="topic_action"),
]
