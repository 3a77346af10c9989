from django.urls import path

from dhakira.apps.fieldkit import views

app_name = "fieldkit"
urlpatterns = [
    path("conflicts/", views.conflicts, name="conflicts"),
    path("conflicts/<int:pk>/decide/", views.decide, name="decide"),
    path("quarantine/", views.quarantine_list, name="quarantine"),
    path("quarantine/<int:pk>/", views.quarantine_detail, name="quarantine_detail"),
    path("quarantine/<int:pk>/accept/", views.quarantine_accept, name="quarantine_accept"),
    path("quarantine/<int:pk>/reject/", views.quarantine_reject, name="quarantine_reject"),
]
