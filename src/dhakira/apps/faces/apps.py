from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacesConfig(AppConfig):
    name = "dhakira.apps.faces"
    label = "faces"
    verbose_name = _("Faces")
    default_auto_field = "django.db.models.BigAutoField"
