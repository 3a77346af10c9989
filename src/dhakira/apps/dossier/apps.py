from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossierConfig(AppConfig):
    name = "dhakira.apps.dossier"
    label = "dossier"
    verbose_name = _("Dossier")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from dhakira.apps.dossier.access import forget_profiles
        from dhakira.apps.dossier.models import Profile

        # A role changed during a request is seen at once by the rest of that request.
        post_save.connect(forget_profiles, sender=Profile, dispatch_uid="dossier.forget_profiles")
        post_delete.connect(forget_profiles, sender=Profile,
                            dispatch_uid="dossier.forget_profiles.delete")
