from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "dhakira.apps.custody"
    label = "ledger"
    verbose_name = _("Chain of custody")
    default_auto_field = "django.db.models.BigAutoField"
