"""The project's URL map with the benchmark's baseline in front of it:
`GET /api/bench/naive-home` answers the home feed by one query over the followed authors'
posts (`timelines.selectors.direct_home_ids`), with no stored rows."""

from django.urls import path

from bench.api import bench_api
from staffroom.config.urls import urlpatterns as project_urlpatterns

handler400 = "staffroom.web.views.bad_request"
handler403 = "staffroom.web.views.permission_denied"
handler404 = "staffroom.web.views.page_not_found"
handler500 = "staffroom.web.views.server_error"

urlpatterns = [path("api/bench/", bench_api.urls), *project_urlpatterns]
