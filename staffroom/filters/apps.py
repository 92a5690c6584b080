from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from staffroom.accounts.settings_sections import SettingsSection, register_settings_section


class FiltersConfig(AppConfig):
    name = "staffroom.filters"
    label = "filters"
    verbose_name = "Filters"

    def ready(self) -> None:
        register_settings_section(SettingsSection("filters", _("Filters"), "filters:settings", 59))
