from django.contrib import admin
from django.urls import include, path

from linli.api import api

admin.site.site_header = "邻里 Linli 管理后台"
admin.site.site_title = "邻里 Linli"
admin.site.index_title = "配置管理"

urlpatterns = [
    path("", include("linli.ops.urls")),  # healthz, readyz, metrics
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("portal/programs/", include("linli.programs.portal_urls")),
    path("portal/", include("linli.portal.urls")),
    path("access/", include("linli.access.urls")),
    path("visits/", include("linli.visits.urls")),
    path("programs/", include("linli.programs.urls")),
    path("workshop/", include("linli.workshop.urls")),
    path("empower/", include("linli.empower.urls")),
    path("open311/v2/", include("linli.open311.urls")),
    path("notifications/", include("linli.notify.urls")),
    path("", include("linli.portal.site_urls")),
]
# A database that cannot be reached is 503 with Retry-After, even when a middleware is what failed.
handler500 = "linli.core.unavailable.server_error"
# Uploaded photos are never served as files: only through portal:attachment, which checks access.
