from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "staffroom.posts"
    label = "posts"
    verbose_name = "Posts and conversations"
