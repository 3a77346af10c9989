from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "dhakira.apps.linkage"
    label = "identity"
    verbose_name = _("Identity resolution")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from dhakira.apps.linkage import queue
        from dhakira.apps.linkage.models import LinkRun

        # A new run is a new queue: kept orders of the old one are dropped.
        post_save.connect(queue.forget, sender=LinkRun, dispatch_uid="identity-queue-forget")
