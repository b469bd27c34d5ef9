from django.urls import path

from linli.notify import views

app_name = "notify"

urlpatterns = [path("preferences/", views.preferences, name="preferences")]
