from django.apps import AppConfig


class LeavingConfig(AppConfig):
    name = "staffroom.leaving"
    label = "leaving"
    verbose_name = "Export and account deletion"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from staffroom.accounts.settings_sections import (
            SettingsSection,
            register_settings_section,
        )

        register_settings_section(SettingsSection("export", _("Export"), "leaving:export", 60))
        register_settings_section(
            SettingsSection("delete", _("Delete account"), "leaving:delete", 100)
        )
