from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

from linli.api import api

admin.site.site_header = "邻里 Linli 管理后台"
admin.site.site_title = "邻里 Linli"
admin.site.index_title = "配置管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # Until the staff workbenches exist, the front page is the configuration back office.
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
