from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "staffroom.scheduling"
    label = "scheduling"
    verbose_name = "Scheduled posts"
