from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "dhakira.apps.protection"
    label = "protection"
    verbose_name = "Protection casework"
