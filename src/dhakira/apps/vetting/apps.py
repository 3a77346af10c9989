from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VettingConfig(AppConfig):
    name = "dhakira.apps.vetting"
    label = "vetting"
    verbose_name = _("Vetting")
    default_auto_field = "django.db.models.BigAutoField"
