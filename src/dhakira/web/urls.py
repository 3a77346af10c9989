from django.contrib.auth import views as auth_views
from django.urls import include, path

from dhakira.protection import lockviews
from dhakira.web import views
from dhakira.web.login import SecondFactorLoginView, ThrottledLoginForm

web_patterns = ([path("", views.dashboard, name="dashboard")], "web")

urlpatterns = [
    path("", include(web_patterns)),
    path("login/", SecondFactorLoginView.as_view(template_name="web/login.html",
                                                 authentication_form=ThrottledLoginForm),
         name="login"),
    path("", include("dhakira.twofactor.urls")),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("evidence/", include("dhakira.evidence.urls")),
    path("legal/", include("dhakira.legal.urls")),
    path("counting/", include("dhakira.counting.urls")),
    path("identity/", include("dhakira.identity.urls")),
    path("protection/", include("dhakira.protection.urls")),
    path("lock/", lockviews.lock_now, name="lock"),
    path("unlock/", lockviews.unlock, name="unlock"),
    path("", include("dhakira.handover.urls")),
    path("", include("dhakira.dossier.urls")),
]
