from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "staffroom.posts"
    label = "posts"
    verbose_name = "Posts and conversations"

    def ready(self) -> None:
        from staffroom.posts import counters  # noqa: F401  (connects the receivers)
