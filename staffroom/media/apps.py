from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "staffroom.media"
    label = "media"
    verbose_name = "Media attachments"

    def ready(self) -> None:
        from staffroom.media import subscribers  # noqa: F401  (registers them)
