from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "staffroom.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from staffroom.notifications import signals  # noqa: F401  (connects the receivers)
