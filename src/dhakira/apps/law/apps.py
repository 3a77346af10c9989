from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    name = "dhakira.apps.law"
    label = "legal"
    verbose_name = _("Legal analysis")
    default_auto_field = "django.db.models.BigAutoField"
