from django.urls import path

from linli.portal import views as portal

app_name = "portal"

urlpatterns = [
    path("", portal.home, name="home"),
    path("submit/", portal.submit, name="submit"),
    path("track/", portal.track, name="track"),
    path("track/rate/", portal.rate, name="rate"),
    # Staff only (sign-in and access to the demand): residents never see anyone's photo.
    path("attachments/<int:pk>/", portal.attachment, name="attachment"),
]
