"""Sign-in and sign-out. No ``app_name``: mounted in the staff site's namespace ``web``."""

from django.urls import path

from linli.ui import views

urlpatterns = [
    path("login/", views.LoginPage.as_view(), name="login"),
    path("logout/", views.LogoutPage.as_view(), name="logout"),
]
