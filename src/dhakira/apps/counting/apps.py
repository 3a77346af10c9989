from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CountingConfig(AppConfig):
    name = "dhakira.apps.counting"
    label = "counting"
    verbose_name = _("Counting the unreported")
    default_auto_field = "django.db.models.BigAutoField"
