from django.apps import AppConfig


class TimelinesConfig(AppConfig):
    name = "staffroom.timelines"
    label = "timelines"
    verbose_name = "Feeds and timelines"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from staffroom.accounts.settings_sections import (
            SettingsSection,
            register_settings_section,
        )
        from staffroom.timelines import subscribers  # noqa: F401  (registers them)

        register_settings_section(SettingsSection("feed", _("Feed"), "timelines:feed-settings", 55))
