from django.urls import path

from linli.empower.views import me as m
from linli.empower.views import pages as p

app_name = "empower"

urlpatterns = [
    path("", p.home, name="home"),
    path("dashboard/", p.dashboard_page, name="dashboard"),
    path("volunteers/", p.volunteers, name="volunteers"),
    path("postings/<int:pk>/", p.posting_page, name="posting"),
    path("teams/<int:pk>/", p.team_page, name="team"),
    path("terms/<int:pk>/plan/", p.term_plan, name="term_plan"),
    path("shifts/<int:pk>/", p.shift_page, name="shift"),
    path("shifts/<int:pk>/assign/", p.shift_assign, name="shift_assign"),
    path("assignments/<int:pk>/<str:action>/", p.assignment_act, name="assignment_act"),
    path("me/", m.me, name="me"),
    path("me/<int:pk>/<str:action>/", m.me_act, name="me_act"),
    path("me/hours/", m.me_hours, name="me_hours"),
    path("me/certificate.xlsx", m.me_certificate, name="me_certificate"),
]
