from django.apps import AppConfig


class MastodonApiConfig(AppConfig):
    name = "staffroom.mastodon_api"
    label = "mastodon_api"
    verbose_name = "Mastodon client API"
