from django.urls import path

from dhakira.apps.counting import views

app_name = "counting"
urlpatterns = [
    path("", views.results, name="results"),
    path("runs/<int:pk>/", views.results, name="run"),
    path("runs/<int:pk>/csv/", views.download_csv, name="csv"),
    path("runs/new/", views.run_new, name="run_new"),
    path("jobs/<int:pk>/", views.job_page, name="job"),
    path("jobs/<int:pk>/status/", views.job_status, name="job_status"),
    path("jobs/<int:pk>/cancel/", views.job_cancel, name="job_cancel"),
]
