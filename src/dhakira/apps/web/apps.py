from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "dhakira.apps.web"
    label = "web"
    verbose_name = _("Web")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out
        from django.db.models.signals import pre_save

        from dhakira.apps.web.bidi_guard import clean_instance
        from dhakira.apps.web.middleware import login_began, login_ended

        # For every model: records never keep a bidirectional control (see bidi_guard).
        pre_save.connect(clean_instance, dispatch_uid="dhakira-strip-bidi-controls")
        # The idle logout's clock for each login starts at log-in (web.middleware).
        user_logged_in.connect(login_began, dispatch_uid="dhakira-idle-login-began")
        user_logged_out.connect(login_ended, dispatch_uid="dhakira-idle-login-ended")
