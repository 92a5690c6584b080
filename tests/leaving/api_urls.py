"""The site's URLs plus the export API on its own NinjaAPI, until config/api.py mounts it."""

from django.urls import path
from ninja import NinjaAPI

from staffroom.config.urls import urlpatterns as site_urlpatterns
from staffroom.core.api.errors import install_error_handlers
from staffroom.core.api.parser import MastodonParser
from staffroom.leaving import api as leaving_api

api = NinjaAPI(parser=MastodonParser(), urls_namespace="leaving-test-api", docs_url=None)
install_error_handlers(api)
api.add_router("/v1/pln", leaving_api.router)

urlpatterns = [path("api/", api.urls), *site_urlpatterns]
