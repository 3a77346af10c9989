from django.urls import path

from dhakira.apps.twofactor import views

app_name = "twofactor"

urlpatterns = [
    path("login/code/", views.verify, name="verify"),
    path("login/code/passkey/options/", views.passkey_login_options, name="passkey_login_options"),
    path("login/code/passkey/", views.passkey_login, name="passkey_login"),
    path("account/two-step/", views.setup, name="setup"),
    path("account/two-step/passkey/options/", views.passkey_options, name="passkey_options"),
    path("account/two-step/passkey/", views.passkey_register, name="passkey_register"),
]
