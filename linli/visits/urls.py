from django.urls import path

from linli.visits.views import meetings as m
from linli.visits.views import planning as p
from linli.visits.views import visiting as v

app_name = "visits"

urlpatterns = [
    path("", p.home, name="home"),
    path("campaigns/new/", p.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/", p.campaign_page, name="campaign"),
    path("campaigns/<int:pk>/rounds/", p.round_new, name="round_new"),
    path("campaigns/<int:pk>/report/", p.report, name="report"),
    path("campaigns/<int:pk>/report.xlsx", p.report_xlsx, name="report_xlsx"),
    path("rounds/<int:pk>/", p.round_page, name="round"),
    path("rounds/<int:pk>/plan/", p.round_replan, name="round_plan"),
    path("rounds/<int:pk>/lock/", p.round_lock, name="round_lock"),
    path("rounds/<int:pk>/visit/", v.visit_new, name="visit_new"),
    path("visits/<int:pk>/", v.visit_page, name="visit"),
    path("visits/<int:pk>/photos/<int:photo_id>/", v.visit_photo, name="visit_photo"),
    path("cadres/", p.cadres, name="cadres"),
    path("meetings/", m.meetings, name="meetings"),
    path("meetings/<int:pk>/", m.meeting_page, name="meeting"),
    path("meetings/<int:pk>/edit/", m.meeting_edit, name="meeting_edit"),
    path("refer/<int:demand_id>/", m.refer, name="refer"),
    path("actions/", m.action_items, name="actions"),
    path("designations/", m.designations, name="designations"),
]
