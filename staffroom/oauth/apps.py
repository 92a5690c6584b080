from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from staffroom.accounts.settings_sections import SettingsSection, register_settings_section


class OAuthConfig(AppConfig):
    """OAuth applications and tokens: the domain app behind the Mastodon adapter's sign-in.

    The label stays `mastodon_api`, the name this app had before the Mastodon routes moved
    out to the plain package `staffroom.mastodon_api`. `OAuthApplication` is
    django-oauth-toolkit's swappable application model
    (`OAUTH2_PROVIDER_APPLICATION_MODEL = "mastodon_api.OAuthApplication"`), and the toolkit's
    applied migrations depend on the migrations of that model's app label: a new label would
    leave every existing installation with an inconsistent migration history. Keeping the
    label keeps the migration records, the table (`mastodon_api_oauthapplication`), the
    content type and the permissions exactly as they are, so upgrading needs no migration.
    """

    name = "staffroom.oauth"
    label = "mastodon_api"
    verbose_name = "OAuth applications"

    def ready(self) -> None:
        register_settings_section(
            SettingsSection("applications", _("Applications"), "oauth:settings-applications", 80)
        )
        register_settings_section(
            SettingsSection("development", _("Development"), "oauth:settings-development", 90)
        )
