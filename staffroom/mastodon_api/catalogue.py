"""Mastodon's client API (4.3, with the 4.4 routes apps already call), route by route, for the
compatibility matrix in docs/api/routes.md (`scripts/compat-matrix` writes it; a test checks
it against the served routes, so it cannot drift).

Each line is `METHOD path | area | note`. The area groups the matrix; the areas in
`MAINSTREAM_AREAS` are what a mainstream Mastodon app needs for reading, posting, following,
lists, notifications, filters, polls and conversations: each of their routes must be served.
The note says why a route is not served (or what serving it means here); keep it short.
Paths use `{}` for every parameter, whatever Mastodon names it.
"""

from __future__ import annotations

from dataclasses import dataclass

MAINSTREAM_AREAS = frozenset(
    {
        "apps and sign-in",
        "accounts",
        "reading",
        "posting",
        "following",
        "lists",
        "notifications",
        "filters",
        "polls",
        "conversations",
        "instance",
    }
)

_ROUTES = """
POST /api/v1/apps | apps and sign-in |
GET /api/v1/apps/verify_credentials | apps and sign-in |
GET /.well-known/oauth-authorization-server | apps and sign-in |
GET /oauth/authorize | apps and sign-in |
POST /oauth/token | apps and sign-in |
POST /oauth/revoke | apps and sign-in |
GET /oauth/userinfo | apps and sign-in |
POST /api/v1/accounts | accounts | sign-up happens on the web pages, where the rules are shown
GET /api/v1/accounts/verify_credentials | accounts |
GET /api/v1/accounts | accounts |
DELETE /api/v1/profile/avatar | accounts |
DELETE /api/v1/profile/header | accounts |
PATCH /api/v1/accounts/update_credentials | accounts |
GET /api/v1/accounts/{} | accounts |
GET /api/v1/accounts/{}/statuses | accounts |
GET /api/v1/accounts/{}/followers | accounts |
GET /api/v1/accounts/{}/following | accounts |
GET /api/v1/accounts/{}/featured_tags | accounts |
GET /api/v1/accounts/{}/lists | lists |
GET /api/v1/accounts/lookup | accounts |
GET /api/v1/accounts/search | accounts |
GET /api/v1/accounts/relationships | following |
GET /api/v1/accounts/familiar_followers | following |
POST /api/v1/accounts/{}/follow | following |
POST /api/v1/accounts/{}/unfollow | following |
POST /api/v1/accounts/{}/remove_from_followers | following |
POST /api/v1/accounts/{}/block | following |
POST /api/v1/accounts/{}/unblock | following |
POST /api/v1/accounts/{}/mute | following |
POST /api/v1/accounts/{}/unmute | following |
POST /api/v1/accounts/{}/pin | following |
POST /api/v1/accounts/{}/unpin | following |
POST /api/v1/accounts/{}/endorse | following |
POST /api/v1/accounts/{}/unendorse | following |
GET /api/v1/accounts/{}/endorsements | following |
POST /api/v1/accounts/{}/note | following |
GET /api/v1/endorsements | following |
GET /api/v1/follow_requests | following |
POST /api/v1/follow_requests/{}/authorize | following |
POST /api/v1/follow_requests/{}/reject | following |
GET /api/v1/blocks | following |
GET /api/v1/mutes | following |
GET /api/v1/domain_blocks | following |
POST /api/v1/domain_blocks | following |
DELETE /api/v1/domain_blocks | following |
GET /api/v1/suggestions | following |
GET /api/v2/suggestions | following |
DELETE /api/v1/suggestions/{} | following |
GET /api/v1/directory | following |
GET /api/v1/timelines/home | reading |
GET /api/v1/timelines/public | reading |
GET /api/v1/timelines/tag/{} | reading |
GET /api/v1/timelines/list/{} | lists |
GET /api/v1/statuses/{} | reading |
GET /api/v1/statuses | reading |
GET /api/v1/statuses/{}/context | reading |
GET /api/v1/statuses/{}/reblogged_by | reading |
GET /api/v1/statuses/{}/favourited_by | reading |
GET /api/v1/statuses/{}/history | reading |
GET /api/v1/statuses/{}/source | posting |
GET /api/v1/bookmarks | reading |
GET /api/v1/favourites | reading |
GET /api/v1/markers | reading |
POST /api/v1/markers | reading |
GET /api/v1/tags/{} | reading |
POST /api/v1/tags/{}/feature | accounts |
POST /api/v1/tags/{}/unfeature | accounts |
POST /api/v1/tags/{}/follow | reading |
POST /api/v1/tags/{}/unfollow | reading |
GET /api/v1/followed_tags | reading |
POST /api/v1/statuses | posting |
PUT /api/v1/statuses/{} | posting |
DELETE /api/v1/statuses/{} | posting |
POST /api/v1/statuses/{}/favourite | posting |
POST /api/v1/statuses/{}/unfavourite | posting |
POST /api/v1/statuses/{}/reblog | posting |
POST /api/v1/statuses/{}/unreblog | posting |
POST /api/v1/statuses/{}/bookmark | posting |
POST /api/v1/statuses/{}/unbookmark | posting |
POST /api/v1/statuses/{}/pin | posting |
POST /api/v1/statuses/{}/unpin | posting |
POST /api/v1/statuses/{}/mute | notifications |
POST /api/v1/statuses/{}/unmute | notifications |
POST /api/v1/statuses/{}/translate | posting | no translation service here
GET /api/v1/scheduled_statuses | posting |
GET /api/v1/scheduled_statuses/{} | posting |
PUT /api/v1/scheduled_statuses/{} | posting |
DELETE /api/v1/scheduled_statuses/{} | posting |
GET /api/v1/featured_tags | accounts |
POST /api/v1/featured_tags | accounts |
DELETE /api/v1/featured_tags/{} | accounts |
GET /api/v1/featured_tags/suggestions | accounts |
GET /api/v1/preferences | accounts |
POST /api/v2/media | media |
POST /api/v1/media | media |
GET /api/v1/media/{} | media |
PUT /api/v1/media/{} | media |
DELETE /api/v1/media/{} | media |
GET /api/v1/polls/{} | polls |
POST /api/v1/polls/{}/votes | polls |
GET /api/v1/conversations | conversations |
DELETE /api/v1/conversations/{} | conversations |
POST /api/v1/conversations/{}/read | conversations |
GET /api/v1/lists | lists |
POST /api/v1/lists | lists |
GET /api/v1/lists/{} | lists |
PUT /api/v1/lists/{} | lists |
DELETE /api/v1/lists/{} | lists |
GET /api/v1/lists/{}/accounts | lists |
POST /api/v1/lists/{}/accounts | lists |
DELETE /api/v1/lists/{}/accounts | lists |
GET /api/v1/notifications | notifications |
GET /api/v1/notifications/{} | notifications |
POST /api/v1/notifications/clear | notifications |
POST /api/v1/notifications/{}/dismiss | notifications |
GET /api/v1/notifications/unread_count | notifications |
GET /api/v2/notifications | notifications |
GET /api/v2/notifications/{} | notifications |
POST /api/v2/notifications/{}/dismiss | notifications |
GET /api/v2/notifications/{}/accounts | notifications |
GET /api/v2/notifications/unread_count | notifications |
GET /api/v2/notifications/policy | notifications |
PATCH /api/v2/notifications/policy | notifications |
GET /api/v1/notifications/policy | notifications |
PUT /api/v1/notifications/policy | notifications |
PATCH /api/v1/notifications/policy | notifications |
PUT /api/v2/notifications/policy | notifications |
GET /api/v1/notifications/requests | notifications |
GET /api/v1/notifications/requests/{} | notifications |
POST /api/v1/notifications/requests/{}/accept | notifications |
POST /api/v1/notifications/requests/{}/dismiss | notifications |
POST /api/v1/notifications/requests/accept | notifications |
POST /api/v1/notifications/requests/dismiss | notifications |
GET /api/v1/notifications/requests/merged | notifications |
GET /api/v2/filters | filters |
POST /api/v2/filters | filters |
GET /api/v2/filters/{} | filters |
PUT /api/v2/filters/{} | filters |
DELETE /api/v2/filters/{} | filters |
GET /api/v2/filters/{}/keywords | filters |
POST /api/v2/filters/{}/keywords | filters |
GET /api/v2/filters/keywords/{} | filters |
PUT /api/v2/filters/keywords/{} | filters |
DELETE /api/v2/filters/keywords/{} | filters |
GET /api/v2/filters/{}/statuses | filters |
POST /api/v2/filters/{}/statuses | filters |
GET /api/v2/filters/statuses/{} | filters |
DELETE /api/v2/filters/statuses/{} | filters |
GET /api/v1/filters | filters |
POST /api/v1/filters | filters |
GET /api/v1/filters/{} | filters |
PUT /api/v1/filters/{} | filters |
DELETE /api/v1/filters/{} | filters |
GET /api/v2/search | search |
GET /api/v1/push/subscription | push |
POST /api/v1/push/subscription | push |
PUT /api/v1/push/subscription | push |
DELETE /api/v1/push/subscription | push |
GET /api/v1/streaming | streaming |
GET /api/v1/streaming/health | streaming |
GET /api/v1/streaming/user | streaming |
GET /api/v1/streaming/user/notification | streaming |
GET /api/v1/streaming/public | streaming |
GET /api/v1/streaming/public/local | streaming |
GET /api/v1/streaming/public/remote | streaming |
GET /api/v1/streaming/hashtag | streaming |
GET /api/v1/streaming/hashtag/local | streaming |
GET /api/v1/streaming/list | streaming |
GET /api/v1/streaming/direct | streaming |
GET /api/v2/instance | instance |
GET /api/v1/instance | instance |
GET /api/v1/instance/rules | instance |
GET /api/v1/instance/peers | instance |
GET /api/v1/instance/activity | instance |
GET /api/v1/instance/extended_description | instance |
GET /api/v1/instance/privacy_policy | instance |
GET /api/v1/instance/terms_of_service | instance |
GET /api/v1/instance/translation_languages | instance |
GET /api/v1/instance/domain_blocks | instance |
GET /api/v1/custom_emojis | instance |
GET /api/v1/announcements | instance |
POST /api/v1/announcements/{}/dismiss | instance |
PUT /api/v1/announcements/{}/reactions/{} | instance |
DELETE /api/v1/announcements/{}/reactions/{} | instance |
GET /.well-known/nodeinfo | instance |
GET /nodeinfo/2.0 | instance |
GET /api/oembed | discovery |
GET /api/v1/trends/tags | discovery |
GET /api/v1/trends/statuses | discovery |
GET /api/v1/trends/links | discovery |
GET /api/v1/trends | discovery | the tags trends under their old name, for older apps
POST /api/v1/reports | moderation |
GET /api/v1/admin/accounts | administration |
GET /api/v2/admin/accounts | administration |
GET /api/v1/admin/accounts/{} | administration |
POST /api/v1/admin/accounts/{}/approve | administration |
POST /api/v1/admin/accounts/{}/reject | administration |
POST /api/v1/admin/accounts/{}/enable | administration | no account is ever disabled here
POST /api/v1/admin/accounts/{}/unsensitive | administration | no forced-sensitive flag here
POST /api/v1/admin/accounts/{}/action | administration |
POST /api/v1/admin/accounts/{}/unsilence | administration |
POST /api/v1/admin/accounts/{}/unsuspend | administration |
GET /api/v1/admin/reports | administration |
GET /api/v1/admin/reports/{} | administration |
POST /api/v1/admin/reports/{}/resolve | administration |
POST /api/v1/admin/reports/{}/reopen | administration |
"""


@dataclass(frozen=True)
class MastodonRoute:
    method: str
    path: str  # parameters written `{}`
    area: str
    note: str

    @property
    def mainstream(self) -> bool:
        return self.area in MAINSTREAM_AREAS


def _parse(table: str) -> tuple[MastodonRoute, ...]:
    routes = []
    for line in table.strip().splitlines():
        signature, area, note = (part.strip() for part in line.split("|"))
        method, path = signature.split(" ")
        routes.append(MastodonRoute(method=method, path=path, area=area, note=note))
    return tuple(routes)


MASTODON_ROUTES = _parse(_ROUTES)
