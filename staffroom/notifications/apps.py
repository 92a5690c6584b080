from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "staffroom.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from staffroom.accounts.settings_sections import (
            SettingsSection,
            register_settings_section,
        )
        from staffroom.notifications import subscribers  # noqa: F401  (registers them)

        register_settings_section(
            SettingsSection("notifications", _("Notifications"), "notifications:settings", 57)
        )
