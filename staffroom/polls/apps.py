from django.apps import AppConfig


class PollsConfig(AppConfig):
    name = "staffroom.polls"
    label = "polls"
    verbose_name = "Polls"
