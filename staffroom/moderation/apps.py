from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "staffroom.moderation"
    label = "moderation"
    verbose_name = "Rules, reports and moderation"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from staffroom.accounts.settings_sections import (
            SettingsSection,
            register_settings_section,
        )

        register_settings_section(
            SettingsSection("reports", _("Your reports"), "moderation:my-reports", 80)
        )
        register_settings_section(
            SettingsSection("moderation", _("Moderation"), "moderation:my-notices", 81)
        )
