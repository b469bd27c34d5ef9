from django.urls import path

from linli.portal import map_views
from linli.portal import views as portal

app_name = "portal"

urlpatterns = [
    path("", portal.home, name="home"),
    path("submit/", portal.submit, name="submit"),
    path("track/", portal.track, name="track"),
    path("track/rate/", portal.rate, name="rate"),
    path("map/boundaries.geojson", map_views.boundaries, name="map_boundaries"),
    path("map/nearby/", map_views.nearby, name="map_nearby"),
    path("map/me-too/<int:pk>/", map_views.me_too, name="map_me_too"),
    # Staff only (sign-in and access to the demand): residents never see anyone's photo.
    path("attachments/<int:pk>/", portal.attachment, name="attachment"),
]
