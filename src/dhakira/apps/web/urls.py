from django.contrib.auth import views as auth_views
from django.urls import include, path

from dhakira.apps.vault import lockviews
from dhakira.apps.web import views
from dhakira.apps.web.login import SecondFactorLoginView, ThrottledLoginForm

web_patterns = ([path("", views.dashboard, name="dashboard")], "web")

urlpatterns = [
    path("", include(web_patterns)),
    path("login/", SecondFactorLoginView.as_view(template_name="web/login.html",
                                                 authentication_form=ThrottledLoginForm),
         name="login"),
    path("", include("dhakira.apps.twofactor.urls")),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("evidence/", include("dhakira.apps.faces.urls")),
    path("evidence/", include("dhakira.apps.evidence.urls")),
    path("legal/", include("dhakira.apps.law.urls")),
    path("counting/", include("dhakira.apps.counting.urls")),
    path("identity/", include("dhakira.apps.linkage.urls")),
    path("protection/", include("dhakira.apps.protection.urls")),
    path("vetting/", include("dhakira.apps.vetting.urls")),
    path("fieldkit/", include("dhakira.apps.fieldkit.urls")),
    path("import/", include("dhakira.apps.importing.urls")),
    path("lock/", lockviews.lock_now, name="lock"),
    path("unlock/", lockviews.unlock, name="unlock"),
    path("", include("dhakira.apps.handover.urls")),
    path("", include("dhakira.apps.dossier.urls")),
]
