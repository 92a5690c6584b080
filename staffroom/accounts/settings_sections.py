"""The sections of the settings page: a registry each capability adds its own page to."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class SettingsSection:
    slug: str
    label: str | Promise
    url_name: str
    order: int = 100


_SECTIONS: dict[str, SettingsSection] = {}


def register_settings_section(section: SettingsSection) -> None:
    _SECTIONS[section.slug] = section


def settings_sections() -> list[SettingsSection]:
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.slug))


register_settings_section(SettingsSection("account", _("Account"), "accounts:settings", 10))
register_settings_section(
    SettingsSection("password", _("Password"), "accounts:password-change", 20)
)
