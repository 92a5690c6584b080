"""The URL map: each app mounts its own pages."""

from django.contrib import admin
from django.urls import include, path

from staffroom.config.api import api
from staffroom.web import views as web_views

handler400 = "staffroom.web.views.bad_request"
handler403 = "staffroom.web.views.permission_denied"
handler404 = "staffroom.web.views.page_not_found"
handler500 = "staffroom.web.views.server_error"

urlpatterns = [
    path("", include("staffroom.web.urls")),
    path("", include("staffroom.accounts.urls")),
    path("", include("staffroom.profiles.urls")),
    path("", include("staffroom.graph.urls")),
    path("", include("staffroom.posts.urls")),
    path("", include("staffroom.media.urls")),
    path("", include("staffroom.polls.urls")),
    path("", include("staffroom.timelines.urls")),
    path("", include("staffroom.hashtags.urls")),
    path("", include("staffroom.filters.urls")),
    path("", include("staffroom.moderation.urls")),
    path("", include("staffroom.notifications.urls")),
    path("", include("staffroom.conversations.urls")),
    path("", include("staffroom.recommendations.urls")),
    path("", include("staffroom.trends.urls")),
    path("", include("staffroom.search.urls")),
    path("", include("staffroom.scheduling.urls")),
    path("", include("staffroom.emojis.urls")),
    path("", include("staffroom.announcements.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("staffroom.oauth.urls")),
    path("", include("staffroom.mastodon_api.urls")),
    path("", include("staffroom.leaving.urls")),
    path("", include("staffroom.importing.urls")),
    path("", include("staffroom.core.urls")),
    path("healthz", web_views.healthz, name="healthz"),
]
