from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandoverConfig(AppConfig):
    name = "dhakira.apps.handover"
    label = "handover"
    verbose_name = _("Hand-over and disclosure log")
    default_auto_field = "django.db.models.BigAutoField"
