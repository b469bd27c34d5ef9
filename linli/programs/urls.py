from django.urls import path

from linli.programs.views import staff as v

app_name = "programs"

urlpatterns = [
    path("", v.program_list, name="list"),
    path("<int:pk>/", v.program_page, name="program"),
    path("<int:pk>/do/<str:action>/", v.program_do, name="program_do"),
    path("<int:pk>/sessions/", v.session_new, name="session_new"),
    path("sessions/<int:pk>/attendance/", v.attendance, name="attendance"),
    path("signups/<int:pk>/cancel/", v.signup_cancel, name="signup_cancel"),
]
