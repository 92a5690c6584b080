from django.apps import AppConfig


class MastodonApiConfig(AppConfig):
    name = "staffroom.mastodon_api"
    label = "mastodon_api"
    verbose_name = "Mastodon client API"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from staffroom.accounts.settings_sections import (
            SettingsSection,
            register_settings_section,
        )

        register_settings_section(
            SettingsSection(
                "applications", _("Applications"), "mastodon_api:settings-applications", 80
            )
        )
        register_settings_section(
            SettingsSection(
                "development", _("Development"), "mastodon_api:settings-development", 90
            )
        )
