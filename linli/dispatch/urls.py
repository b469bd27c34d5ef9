"""The dispatch quality page. No ``app_name``: mounted in the staff site's namespace ``web``."""

from django.urls import path

from linli.dispatch import views

urlpatterns = [
    path("dispatch-quality/", views.dispatch_quality_page, name="dispatch_quality"),
]
