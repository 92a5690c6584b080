from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "staffroom.core"
    label = "core"
    verbose_name = "Core"
