from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from staffroom.accounts.settings_sections import SettingsSection, register_settings_section


class HashtagsConfig(AppConfig):
    name = "staffroom.hashtags"
    label = "hashtags"
    verbose_name = "Hashtags"

    def ready(self) -> None:
        register_settings_section(
            SettingsSection("hashtags", _("Followed hashtags"), "hashtags:settings", 58)
        )
