"""Mastodon's filter routes: v2 (`/api/v2/filters`, with `/keywords` and `/statuses` of a
filter, `/api/v2/filters/keywords/:id` and `/api/v2/filters/statuses/:id`) and the
deprecated v1 (`/api/v1/filters`, where a filter is one keyword). Another teacher's filter,
keyword or post is a 404, the same as an unknown one. Each route calls one service or
selector and answers the entities of `entities.py`.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from staffroom.core.api.auth import TokenAuth
from staffroom.core.api.entities import EmptyEntity
from staffroom.filters import schemas
from staffroom.filters.entities import (
    FilterEntity,
    FilterKeywordEntity,
    FilterStatusEntity,
    V1FilterEntity,
    filter_entity,
    filter_status_entity,
    keyword_entity,
    v1_filter_entity,
)
from staffroom.filters.selectors import (
    filter_of,
    filter_status_of,
    filters_of,
    keyword_of,
    keywords_of,
)
from staffroom.filters.services import (
    KEEP,
    KeywordChange,
    filter_create,
    filter_delete,
    filter_status_add,
    filter_status_delete,
    filter_update,
    keyword_add,
    keyword_delete,
    keyword_update,
    v1_filter_create,
    v1_filter_delete,
    v1_filter_update,
)
from staffroom.profiles.selectors import own_profile

v2_router = Router(tags=["filters"])
v1_router = Router(tags=["filters"])

READ = TokenAuth("read:filters")
WRITE = TokenAuth("write:filters")


def _changes(rows: list[schemas.KeywordAttributes] | None) -> list[KeywordChange]:
    return [
        KeywordChange(
            id=row.id, keyword=row.keyword, whole_word=row.whole_word, destroy=row.destroy
        )
        for row in rows or []
    ]


@v2_router.get("", response=list[schemas.Filter], auth=READ, summary="Your filters")
def filter_list(request: HttpRequest) -> list[FilterEntity]:
    return [filter_entity(item) for item in filters_of(own_profile(request))]


@v2_router.post(
    "",
    response=schemas.Filter,
    auth=WRITE,
    summary="Make a filter (`title`, `context[]`, `filter_action`, `expires_in`, "
    "`keywords_attributes[]`)",
)
def filter_create_route(request: HttpRequest, payload: schemas.FilterIn) -> FilterEntity:
    made = filter_create(
        actor=own_profile(request),
        title=payload.title,
        context=payload.context,
        action=payload.filter_action,
        expires_in=payload.expires_in,
        keywords=_changes(payload.keywords_attributes),
    )
    return filter_entity(made)


@v2_router.get("/{id}", response=schemas.Filter, auth=READ, summary="One of your filters")
def filter_detail(request: HttpRequest, id: str) -> FilterEntity:
    return filter_entity(filter_of(own_profile(request), id))


@v2_router.put(
    "/{id}",
    response=schemas.Filter,
    auth=WRITE,
    summary="Change a filter; `keywords_attributes[]` adds, changes (`id`) or takes out "
    "(`_destroy`) keywords",
)
def filter_update_route(request: HttpRequest, id: str, payload: schemas.FilterIn) -> FilterEntity:
    given = payload.model_fields_set
    changed = filter_update(
        actor=own_profile(request),
        filter_id=id,
        title=payload.title if "title" in given else KEEP,
        context=payload.context if "context" in given else KEEP,
        action=payload.filter_action if "filter_action" in given else KEEP,
        expires_in=payload.expires_in if "expires_in" in given else KEEP,
        keywords=_changes(payload.keywords_attributes),
    )
    return filter_entity(changed)


@v2_router.delete("/{id}", response=dict[str, object], auth=WRITE, summary="Delete a filter")
def filter_delete_route(request: HttpRequest, id: str) -> EmptyEntity:
    filter_delete(actor=own_profile(request), filter_id=id)
    return {}


@v2_router.get(
    "/{id}/keywords",
    response=list[schemas.FilterKeyword],
    auth=READ,
    summary="The keywords of one of your filters",
)
def keyword_list(request: HttpRequest, id: str) -> list[FilterKeywordEntity]:
    found = filter_of(own_profile(request), id)
    return [keyword_entity(keyword) for keyword in found.keywords.all()]


@v2_router.post(
    "/{id}/keywords",
    response=schemas.FilterKeyword,
    auth=WRITE,
    summary="Add a keyword to a filter (`keyword`, `whole_word`)",
)
def keyword_create_route(
    request: HttpRequest, id: str, payload: schemas.KeywordIn
) -> FilterKeywordEntity:
    row = keyword_add(
        actor=own_profile(request),
        filter_id=id,
        keyword=payload.keyword,
        whole_word=payload.whole_word,
    )
    return keyword_entity(row)


@v2_router.get(
    "/{id}/statuses",
    response=list[schemas.FilterStatus],
    auth=READ,
    summary="The posts of one of your filters",
)
def filter_status_list(request: HttpRequest, id: str) -> list[FilterStatusEntity]:
    found = filter_of(own_profile(request), id)
    return [filter_status_entity(row) for row in found.statuses.all()]


@v2_router.post(
    "/{id}/statuses",
    response=schemas.FilterStatus,
    auth=WRITE,
    summary="Add a post to a filter (`status_id`)",
)
def filter_status_create_route(
    request: HttpRequest, id: str, payload: schemas.FilterStatusIn
) -> FilterStatusEntity:
    row = filter_status_add(actor=own_profile(request), filter_id=id, status_id=payload.status_id)
    return filter_status_entity(row)


@v2_router.get("/keywords/{id}", response=schemas.FilterKeyword, auth=READ, summary="One keyword")
def keyword_detail(request: HttpRequest, id: str) -> FilterKeywordEntity:
    return keyword_entity(keyword_of(own_profile(request), id))


@v2_router.put(
    "/keywords/{id}",
    response=schemas.FilterKeyword,
    auth=WRITE,
    summary="Change a keyword (`keyword`, `whole_word`)",
)
def keyword_update_route(
    request: HttpRequest, id: str, payload: schemas.KeywordIn
) -> FilterKeywordEntity:
    row = keyword_update(
        actor=own_profile(request),
        keyword_id=id,
        keyword=payload.keyword,
        whole_word=payload.whole_word,
    )
    return keyword_entity(row)


@v2_router.delete(
    "/keywords/{id}", response=dict[str, object], auth=WRITE, summary="Take out a keyword"
)
def keyword_delete_route(request: HttpRequest, id: str) -> EmptyEntity:
    keyword_delete(actor=own_profile(request), keyword_id=id)
    return {}


@v2_router.get(
    "/statuses/{id}", response=schemas.FilterStatus, auth=READ, summary="One filtered post"
)
def filter_status_detail(request: HttpRequest, id: str) -> FilterStatusEntity:
    return filter_status_entity(filter_status_of(own_profile(request), id))


@v2_router.delete(
    "/statuses/{id}",
    response=dict[str, object],
    auth=WRITE,
    summary="Take a post out of its filter",
)
def filter_status_delete_route(request: HttpRequest, id: str) -> EmptyEntity:
    filter_status_delete(actor=own_profile(request), filter_status_id=id)
    return {}


# --- v1 ------------------------------------------------------------------------------------


@v1_router.get(
    "",
    response=list[schemas.V1Filter],
    auth=READ,
    summary="Your filters as v1 filters, one per keyword (deprecated)",
)
def v1_filter_list(request: HttpRequest) -> list[V1FilterEntity]:
    return [v1_filter_entity(keyword) for keyword in keywords_of(own_profile(request))]


@v1_router.post(
    "",
    response=schemas.V1Filter,
    auth=WRITE,
    summary="Make a one-keyword filter (`phrase`, `context[]`, `irreversible`, `whole_word`, "
    "`expires_in`; deprecated)",
)
def v1_filter_create_route(request: HttpRequest, payload: schemas.V1FilterIn) -> V1FilterEntity:
    row = v1_filter_create(
        actor=own_profile(request),
        phrase=payload.phrase,
        context=payload.context,
        irreversible=bool(payload.irreversible),
        whole_word=payload.whole_word is not False,
        expires_in=payload.expires_in,
    )
    return v1_filter_entity(row)


@v1_router.get("/{id}", response=schemas.V1Filter, auth=READ, summary="One v1 filter")
def v1_filter_detail(request: HttpRequest, id: str) -> V1FilterEntity:
    return v1_filter_entity(keyword_of(own_profile(request), id))


@v1_router.put(
    "/{id}", response=schemas.V1Filter, auth=WRITE, summary="Change a v1 filter (deprecated)"
)
def v1_filter_update_route(
    request: HttpRequest, id: str, payload: schemas.V1FilterIn
) -> V1FilterEntity:
    given = payload.model_fields_set
    row = v1_filter_update(
        actor=own_profile(request),
        keyword_id=id,
        phrase=payload.phrase,
        context=payload.context if "context" in given else KEEP,
        irreversible=payload.irreversible,
        whole_word=payload.whole_word,
        expires_in=payload.expires_in if "expires_in" in given else KEEP,
    )
    return v1_filter_entity(row)


@v1_router.delete(
    "/{id}", response=dict[str, object], auth=WRITE, summary="Delete a v1 filter (deprecated)"
)
def v1_filter_delete_route(request: HttpRequest, id: str) -> EmptyEntity:
    v1_filter_delete(actor=own_profile(request), keyword_id=id)
    return {}
