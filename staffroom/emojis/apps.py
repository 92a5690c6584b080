from django.apps import AppConfig


class EmojisConfig(AppConfig):
    name = "staffroom.emojis"
    label = "emojis"
    verbose_name = "Custom emojis"
