from django.apps import AppConfig


class GraphConfig(AppConfig):
    name = "staffroom.graph"
    label = "graph"
    verbose_name = "Social graph"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from staffroom.accounts.settings_sections import (
            SettingsSection,
            register_settings_section,
        )

        register_settings_section(SettingsSection("blocks", _("Blocks"), "graph:blocks-list", 70))
        register_settings_section(SettingsSection("mutes", _("Mutes"), "graph:mutes-list", 75))
