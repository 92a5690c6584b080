from importlib import import_module

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class SearchConfig(AppConfig):
    name = "staffroom.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        # The built-in kinds and the index subscribers register themselves when imported;
        # any other app's `search.py` module registers its own kinds the same way.
        import_module("staffroom.search.kinds")
        import_module("staffroom.search.subscribers")
        autodiscover_modules("search")
