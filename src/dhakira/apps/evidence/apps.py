from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "dhakira.apps.evidence"
    label = "evidence"
    verbose_name = _("Evidence")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dhakira.apps.dossier.protected import ProtectedField, register
        from dhakira.apps.evidence import signals  # noqa: F401  (keeps the search index in step)
        from dhakira.apps.evidence._sandbox import shutdown
        from dhakira.apps.evidence.identifying import LOCATION, PEOPLE
        from dhakira.apps.evidence.models import EvidenceItem
        from dhakira.core.vault import session

        # Reader processes have held decrypted evidence: none outlives the key.
        session.on_lock(shutdown)

        # What a file's metadata says about who and where is read like any protected field.
        register(
            ProtectedField(EvidenceItem, PEOPLE, "sources",
                           "Names, addresses, owners and serial numbers in the file's metadata",
                           "الأسماء والعناوين والمالكون والأرقام التسلسلية في البيانات الوصفية للملف"),
            ProtectedField(EvidenceItem, LOCATION, "addresses",
                           "Location in the file's metadata (GPS)",
                           "الموقع في البيانات الوصفية للملف (GPS)"))
