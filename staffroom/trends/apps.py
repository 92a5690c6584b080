from django.apps import AppConfig


class TrendsConfig(AppConfig):
    name = "staffroom.trends"
    label = "trends"
    verbose_name = "Trends"

    def ready(self) -> None:
        from staffroom.trends import subscribers  # noqa: F401  (registers them)
