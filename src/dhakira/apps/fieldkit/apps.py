from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldkitConfig(AppConfig):
    name = "dhakira.apps.fieldkit"
    label = "fieldkit"
    verbose_name = _("Field kits")
    default_auto_field = "django.db.models.BigAutoField"
