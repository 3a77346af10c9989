from django.urls import path

from dhakira.apps.vetting import views

app_name = "vetting"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>/status/", views.report_status, name="report_status"),
    path("reports/<int:pk>/task/", views.task_assign, name="task_assign"),
    path("comments/", views.comment, name="comment"),
    path("tasks/<int:pk>/", views.task, name="task"),
    path("review/", views.review_home, name="review_home"),
    path("review/reports/<int:pk>/", views.review_report, name="review_report"),
]
