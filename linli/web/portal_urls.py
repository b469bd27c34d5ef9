from django.urls import path

from linli.web.views import portal

app_name = "portal"

urlpatterns = [
    path("", portal.home, name="home"),
]
