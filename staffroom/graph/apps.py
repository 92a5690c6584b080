from django.apps import AppConfig


class GraphConfig(AppConfig):
    name = "staffroom.graph"
    label = "graph"
    verbose_name = "Social graph"
