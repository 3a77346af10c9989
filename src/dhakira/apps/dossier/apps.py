from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossierConfig(AppConfig):
    name = "dhakira.apps.dossier"
    label = "dossier"
    verbose_name = _("Dossier")
    default_auto_field = "django.db.models.BigAutoField"
