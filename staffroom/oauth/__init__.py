"""OAuth 2 for apps: applications, tokens, the authorize/token/revoke endpoints, settings pages.

The Django app behind the Mastodon adapter's sign-in (its app label is `mastodon_api`, for
migration history: see `apps.OAuthConfig`). It never imports the adapter.
"""
