from django.urls import path

from dhakira.apps.twofactor import views

app_name = "twofactor"

urlpatterns = [
    path("login/code/", views.verify, name="verify"),
    path("account/two-step/", views.setup, name="setup"),
]
