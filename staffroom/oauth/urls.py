"""OAuth endpoints and well-known documents (the JSON API itself is in config/api.py)."""

from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from staffroom.oauth import oauth_views, views

app_name = "oauth"

urlpatterns = [
    path("oauth/authorize", oauth_views.AuthorizeView.as_view(), name="authorize"),
    path("oauth/token", csrf_exempt(oauth_views.TokenView.as_view()), name="token"),
    path("oauth/revoke", csrf_exempt(oauth_views.RevokeView.as_view()), name="revoke"),
    path("oauth/userinfo", oauth_views.userinfo, name="userinfo"),
    path("settings/applications", views.applications, name="settings-applications"),
    path(
        "settings/applications/<int:application_id>/revoke",
        views.application_revoke,
        name="settings-application-revoke",
    ),
    path("settings/development", views.development, name="settings-development"),
    path(
        "settings/development/<int:application_id>/delete",
        views.development_delete,
        name="settings-development-delete",
    ),
    path(
        ".well-known/oauth-authorization-server",
        oauth_views.authorization_server_metadata,
        name="oauth-metadata",
    ),
]
