"""`/api/v1/conversations`: the teacher's threads of direct posts, newest last post first
(Mastodon's Conversation, Link header); marking one read; deleting one for oneself.

Another teacher's conversation id answers 404 exactly like an unknown one, on every route;
a conversation whose posts the teacher may no longer see (blocked since, removed by a
moderator) is left out."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from staffroom.conversations.api.entities import ConversationEntity, conversation_entities
from staffroom.conversations.api.schemas import Conversation, ConversationsQuery
from staffroom.conversations.selectors import conversation_get, conversations_for
from staffroom.conversations.services import conversation_delete, conversation_mark_read
from staffroom.core.api.auth import TokenAuth
from staffroom.core.api.entities import EmptyEntity
from staffroom.core.api.pagination import lenient_id, lenient_limit, set_link_header
from staffroom.core.api.prebuilt import prebuilt_json
from staffroom.profiles.selectors import own_profile

LIMIT_DEFAULT = 20
LIMIT_MAX = 40

router = Router(tags=["conversations"])


@router.get(
    "",
    response=list[Conversation],
    auth=TokenAuth("read:statuses"),
    exclude_unset=True,
    summary="Your conversations (threads of direct posts), newest first (Link header)",
)
def conversation_list(
    request: HttpRequest, response: HttpResponse, query: Query[ConversationsQuery]
) -> HttpResponse:
    """Cursors are the ids of last posts, as Mastodon's Link header gives them."""
    viewer = own_profile(request)
    page = conversations_for(
        viewer,
        limit=lenient_limit(query.limit, default=LIMIT_DEFAULT, maximum=LIMIT_MAX),
        max_id=lenient_id(query.max_id),
        since_id=lenient_id(query.since_id),
        min_id=lenient_id(query.min_id),
    )
    set_link_header(request, response, [row.last_status_id or 0 for row in page])
    return prebuilt_json(response, conversation_entities(page, viewer, request))


@router.post(
    "/{id}/read",
    response=Conversation,
    auth=TokenAuth("write:conversations"),
    exclude_unset=True,
    summary="Mark one of your conversations read",
)
def conversation_read(request: HttpRequest, response: HttpResponse, id: str) -> HttpResponse:
    viewer = own_profile(request)
    conversation_mark_read(owner=viewer, conversation_id=id)
    found = conversation_get(viewer, id)
    entity: ConversationEntity = conversation_entities([found], viewer, request)[0]
    return prebuilt_json(response, entity)


@router.delete(
    "/{id}",
    response=dict[str, Any],
    auth=TokenAuth("write:conversations"),
    summary="Remove one of your conversations, for you only",
)
def conversation_remove(request: HttpRequest, id: str) -> EmptyEntity:
    conversation_delete(owner=own_profile(request), conversation_id=id)
    return {}
