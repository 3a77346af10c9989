from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "dhakira.evidence"
    verbose_name = _("Evidence")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Keep the search index in step with reports written anywhere in the dossier.
        from dhakira.evidence import signals  # noqa: F401
        from dhakira.evidence._sandbox import shutdown
        from dhakira.vault import session

        # Reader processes have held decrypted evidence: none outlives the key.
        session.on_lock(shutdown)
