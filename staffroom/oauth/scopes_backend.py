"""django-oauth-toolkit scopes backend: an app may ask for what its registration covers."""

from __future__ import annotations

from typing import Any

from staffroom.core.api.scopes import ALL_SCOPES, parse_scopes, scopes_allow


class MastodonScopes:
    def get_all_scopes(self) -> dict[str, str]:
        return ALL_SCOPES

    def get_available_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        registered = parse_scopes(getattr(application, "scopes", "read"))
        return [scope for scope in ALL_SCOPES if scopes_allow(registered, scope)]

    def get_default_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        registered = parse_scopes(getattr(application, "scopes", "read"))
        return ["read"] if "read" in registered or not registered else registered[:1]
