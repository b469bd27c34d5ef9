"""The staff site: the pages every app contributes, in one URL namespace ``web``.

The names are those of the former ``linli.web`` app (``web:demand_detail``, ``web:dashboard`` …), so every
``{% url %}`` and ``reverse()`` keeps working; the apps own their pages, this module only composes them.
"""

from django.urls import path

from linli.analytics import urls as analytics_urls
from linli.demands import urls as demands_urls
from linli.dispatch import urls as dispatch_urls
from linli.portal import navigation
from linli.ui import urls as ui_urls

app_name = "web"

urlpatterns = [
    path("", navigation.home, name="home"),
    *ui_urls.urlpatterns,
    *demands_urls.urlpatterns,
    *analytics_urls.urlpatterns,
    *dispatch_urls.urlpatterns,
]
