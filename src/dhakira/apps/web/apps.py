from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "dhakira.apps.web"
    label = "web"
    verbose_name = _("Web")

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from dhakira.apps.web.bidi_guard import clean_instance

        # For every model: records never keep a bidirectional control (see bidi_guard).
        pre_save.connect(clean_instance, dispatch_uid="dhakira-strip-bidi-controls")
