from django.urls import path

from dhakira.apps.fieldkit import views

app_name = "fieldkit"
urlpatterns = [
    path("conflicts/", views.conflicts, name="conflicts"),
    path("conflicts/<int:pk>/decide/", views.decide, name="decide"),
]
