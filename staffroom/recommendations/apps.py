from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "staffroom.recommendations"
    label = "recommendations"
    verbose_name = "Who to follow"
