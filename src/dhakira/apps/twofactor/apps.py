from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TwoFactorConfig(AppConfig):
    name = "dhakira.apps.twofactor"
    label = "twofactor"
    verbose_name = _("Two-step login")
    default_auto_field = "django.db.models.BigAutoField"
