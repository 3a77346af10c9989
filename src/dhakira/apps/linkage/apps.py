import sys

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "dhakira.apps.linkage"
    label = "identity"
    verbose_name = _("Identity resolution")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from dhakira.apps.linkage.models import LinkRun

        # A new run is a new queue: kept orders of the old one are dropped.
        post_save.connect(_forget_orders, sender=LinkRun, dispatch_uid="identity-queue-forget")


def _forget_orders(**kwargs: object) -> None:
    """Drop the review queue's kept orders, when this process has any.

    The queue module is imported here, not in ``ready``: it pulls in the linkage core (Splink,
    pandas, SciPy), seconds of start-up that every command and server would otherwise pay
    whether or not it ever shows the queue. A process that never imported it keeps no order.
    """
    queue = sys.modules.get("dhakira.apps.linkage.queue")
    if queue is not None:
        queue.forget(**kwargs)
