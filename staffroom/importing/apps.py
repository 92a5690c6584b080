from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from staffroom.accounts.settings_sections import SettingsSection, register_settings_section


class ImportingConfig(AppConfig):
    name = "staffroom.importing"
    label = "importing"
    verbose_name = "Import (moving in)"

    def ready(self) -> None:
        from staffroom.importing import subscribers  # noqa: F401  (registers them)

        register_settings_section(SettingsSection("import", _("Import"), "importing:list", 58))
