from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportingConfig(AppConfig):
    name = "dhakira.apps.importing"
    label = "importing"
    verbose_name = _("Imports")
    default_auto_field = "django.db.models.BigAutoField"
