from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "staffroom.profiles"
    label = "profiles"
    verbose_name = "Profiles"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from staffroom.accounts.settings_sections import (
            SettingsSection,
            register_settings_section,
        )
        from staffroom.profiles import subscribers  # noqa: F401  (registers them)

        register_settings_section(
            SettingsSection("profile", _("Profile"), "profiles:profile-edit", 30)
        )
        register_settings_section(
            SettingsSection("goals", _("PLN goals"), "profiles:goals-edit", 40)
        )
        register_settings_section(
            SettingsSection("privacy", _("Privacy"), "profiles:privacy-edit", 50)
        )
