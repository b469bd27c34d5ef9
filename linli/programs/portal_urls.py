"""The residents' pages of programs, mounted under /portal/programs/ (public, phone-first)."""

from django.urls import path

from linli.programs.views import portal as v

app_name = "programs_portal"

urlpatterns = [
    path("", v.home, name="home"),
    path("<int:pk>/", v.program, name="program"),
    path("mine/", v.mine, name="mine"),
]
