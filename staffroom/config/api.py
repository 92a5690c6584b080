"""The root JSON API: Mastodon's client API and the PLN extensions, one OpenAPI document."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

import staffroom
from staffroom.announcements import api as announcements_api
from staffroom.conversations import api as conversations_api
from staffroom.core.api.errors import install_error_handlers
from staffroom.core.api.openapi import complete_document
from staffroom.core.api.parser import MastodonParser
from staffroom.emojis import api as emojis_api
from staffroom.filters import api as filters_api
from staffroom.graph import api as graph_api
from staffroom.hashtags import api as hashtags_api
from staffroom.importing import api as importing_api
from staffroom.leaving import api as leaving_api
from staffroom.mastodon_api.routes import accounts, apps, directory, instance, preferences
from staffroom.media import api as media_api
from staffroom.moderation import api as moderation_api
from staffroom.notifications import api as notifications_api
from staffroom.polls import api as polls_api
from staffroom.posts import api as posts_api
from staffroom.profiles import api as profiles_api
from staffroom.push import api as push_api
from staffroom.recommendations import api as recommendations_api
from staffroom.scheduling import api as scheduling_api
from staffroom.search import api as search_api
from staffroom.streaming.openapi import streaming_paths
from staffroom.timelines import api as timelines_api
from staffroom.trends import api as trends_api


class StaffroomAPI(NinjaAPI):
    """Completes ninja's document: each operation's error answers (core/api/openapi.py), then
    the streaming API, served beside Django rather than by a route, which documents its own."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = complete_document(super().get_openapi_schema(*args, **kwargs))
        schema["paths"].update(streaming_paths())
        return schema


api = StaffroomAPI(
    title="Staffroom API",
    version=staffroom.__version__,
    description=(
        "Mastodon's client API (so Mastodon apps and libraries work) plus the professional "
        "learning network extensions under /api/v1/pln/. Authenticate with an OAuth 2 bearer "
        "token; each route names the scope it needs."
    ),
    parser=MastodonParser(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)
api.add_router("/v1/apps", apps.router)
# Before the accounts router: its `/{id}` would take `relationships` and `familiar_followers`.
api.add_router("/v1/accounts", graph_api.accounts_router)
api.add_router("/v1/accounts", graph_api.endorse_router)  # pin, note, lists, endorsements
api.add_router("/v1/accounts", posts_api.accounts_router)  # `/{id}/statuses`
api.add_router("/v1/accounts", hashtags_api.accounts_router)  # `/{id}/featured_tags`
api.add_router("/v1/accounts", accounts.router)
api.add_router("/v1/profile", accounts.profile_router)
api.add_router("/v1/media", media_api.v1_router)
api.add_router("/v2/media", media_api.v2_router)
api.add_router("/v1/statuses", posts_api.statuses_router)
api.add_router("/v1/statuses", posts_api.actions_router)
api.add_router("/v1/polls", polls_api.router)
api.add_router("/v1/bookmarks", posts_api.bookmarks_router)
api.add_router("/v1/favourites", posts_api.favourites_router)
api.add_router("/v1/follow_requests", graph_api.follow_requests_router)
api.add_router("/v1/blocks", graph_api.blocks_router)
api.add_router("/v1/mutes", graph_api.mutes_router)
api.add_router("/v1/domain_blocks", graph_api.domain_blocks_router)
api.add_router("/v1/endorsements", graph_api.endorsements_router)
api.add_router("/v1/lists", graph_api.lists_router)
api.add_router("/v1/timelines", timelines_api.timelines_router)
api.add_router("/v1/tags", hashtags_api.tags_router)
api.add_router("/v1/followed_tags", hashtags_api.followed_tags_router)
api.add_router("/v1/featured_tags", hashtags_api.featured_tags_router)
api.add_router("/v1/markers", timelines_api.markers_router)
api.add_router("/v1/filters", filters_api.v1_router)
api.add_router("/v2/filters", filters_api.v2_router)
api.add_router("/v1/notifications", notifications_api.v1_router)
api.add_router("/v1/conversations", conversations_api.router)
api.add_router("/v2/notifications", notifications_api.v2_router)
api.add_router("/v1/directory", directory.router)
api.add_router("/v1/trends", trends_api.router)
api.add_router("/v1/trends", trends_api.legacy_router)
api.add_router("/v1/suggestions", recommendations_api.v1_router)
api.add_router("/v2/suggestions", recommendations_api.v2_router)
api.add_router("/v1/preferences", preferences.router)
api.add_router("/v1/custom_emojis", emojis_api.router)
api.add_router("/v1/announcements", announcements_api.router)
api.add_router("/v1/push", push_api.router)
api.add_router("/v1/scheduled_statuses", scheduling_api.router)
api.add_router("/v2", search_api.router)  # /v2/search
api.add_router("", posts_api.oembed_router)  # /oembed
api.add_router("", instance.router)  # /v1/instance, /v1/instance/rules and /v2/instance
api.add_router("/v1/reports", moderation_api.reports_router)
api.add_router("/v1/admin/reports", moderation_api.admin_reports_router)
api.add_router("/v1/admin/accounts", moderation_api.admin_accounts_router)
api.add_router("/v2/admin/accounts", moderation_api.admin_accounts_v2_router)
api.add_router("/v1/pln", profiles_api.router)
api.add_router("/v1/pln", leaving_api.router)
api.add_router("/v1/pln", importing_api.router)
api.add_router("/v1/pln", media_api.pln_router)
api.add_router("/v1/pln", graph_api.pln_router)
api.add_router("/v1/pln", moderation_api.pln_router)
api.add_router("/v1/pln", notifications_api.pln_router)
# Paths of their own (`/suggestions`, `/accounts/{id}/similar`, `/lists/{id}/suggestions`,
# `/starter_packs`): no other /v1/pln router has a route they could shadow, or be shadowed by.
api.add_router("/v1/pln", recommendations_api.pln_router)
api.add_router("/v1/pln/starter_packs", recommendations_api.packs_router)
