"""`/api/v1/statuses`: post, read one or several, edit, delete, and a post's history,
source and conversation.

A post the caller may not see is resolved through `status_get_for_viewer`, which answers
exactly as for an id that never existed (404 "Record not found"), on every route
(SECURITY-PLAN P-3).
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from staffroom.core.api.auth import TokenAuth
from staffroom.core.api.ids import IdsQuery, query_ids
from staffroom.filters.selectors import without_hidden
from staffroom.media.services import MediaDescription
from staffroom.posts.api._common import (
    draft_of,
    poll_draft_from,
    visibility_from,
)
from staffroom.posts.api.schemas import (
    Context,
    Status,
    StatusEdit,
    StatusEditIn,
    StatusIn,
    StatusSource,
)
from staffroom.posts.entities import (
    ContextEntity,
    DeletedStatusEntity,
    StatusEditEntity,
    StatusEntity,
    StatusSourceEntity,
    deleted_status_entity,
    status_entities,
    status_entity,
    status_history_entities,
    status_source_entity,
)
from staffroom.posts.posting_defaults import posting_defaults
from staffroom.posts.selectors import status_context, status_get_for_viewer, visible_statuses
from staffroom.posts.services import status_create, status_delete, status_edit
from staffroom.profiles.selectors import own_profile
from staffroom.profiles.viewer import optional_viewer
from staffroom.scheduling.entities import ScheduledStatusEntity, scheduled_status_entity
from staffroom.scheduling.schemas import ScheduledStatus
from staffroom.scheduling.services import scheduled_status_create

router = Router(tags=["statuses"])


@router.post(
    "",
    response=Status | ScheduledStatus,
    auth=TokenAuth("write:statuses"),
    exclude_unset=True,
    summary="Publish a post or a reply, or schedule it (`scheduled_at`; `Idempotency-Key` "
    "header honoured for an hour)",
)
def status_post(request: HttpRequest, payload: StatusIn) -> StatusEntity | ScheduledStatusEntity:
    """`visibility=private` is followers-only; add `pln[visibility]=connections` (or send
    `visibility=connections`) for connections-only. `media_ids[]` attach up to four of
    your processed uploads, or `poll[options][]`, `poll[expires_in]` (seconds),
    `poll[multiple]` and `poll[hide_totals]` ask a poll (not both). With `scheduled_at`
    (ISO 8601, 5 minutes to a year ahead) the post, poll included, is checked now,
    published then, and the answer is a ScheduledStatus."""
    viewer = own_profile(request)
    # What the author left out comes from their posting defaults (Mastodon's `source`);
    # `pln[visibility]` alone already means a kind of private.
    defaults = posting_defaults(viewer)
    refined = payload.pln is not None and bool(payload.pln.visibility)
    visibility = visibility_from(
        payload.visibility or (None if refined else defaults.visibility.value), payload.pln
    )
    in_reply_to = None
    if payload.in_reply_to_id not in (None, ""):
        in_reply_to = status_get_for_viewer(payload.in_reply_to_id, viewer)
    poll = poll_draft_from(payload.poll)
    if payload.scheduled_at:
        scheduled = scheduled_status_create(
            author=viewer,
            scheduled_at=payload.scheduled_at,
            draft=draft_of(payload, language=defaults.language, sensitive=defaults.sensitive),
            visibility=visibility,
            in_reply_to=in_reply_to,
            modality=payload.pln.modality if payload.pln is not None else None,
            idempotency_key=request.headers.get("Idempotency-Key") or None,
            media_ids=payload.media_ids or (),
            poll=poll,
            application_id=_application_id(request),
        )
        return scheduled_status_entity(scheduled)
    status = status_create(
        author=viewer,
        draft=draft_of(payload, language=defaults.language, sensitive=defaults.sensitive),
        visibility=visibility,
        in_reply_to=in_reply_to,
        modality=payload.pln.modality if payload.pln is not None else None,
        idempotency_key=request.headers.get("Idempotency-Key") or None,
        media_ids=payload.media_ids or (),
        poll=poll,
    )
    return status_entity(status, viewer, request)


def _application_id(request: HttpRequest) -> int | None:
    token = getattr(request, "oauth_token", None)
    application_id = getattr(token, "application_id", None)
    return application_id if isinstance(application_id, int) else None


@router.get(
    "",
    response=list[Status],
    exclude_unset=True,
    summary="Several posts by id (`id[]`, at most 40; no sign-in needed)",
)
def status_list(request: HttpRequest, query: Query[IdsQuery]) -> list[StatusEntity]:
    """Unknown posts and posts the viewer may not see are left out, as Mastodon does."""
    viewer = optional_viewer(request, "read:statuses")
    ids = query_ids(query.id)
    found = visible_statuses(viewer).in_bulk(ids)
    return status_entities([found[pk] for pk in ids if pk in found], viewer, request)


@router.get(
    "/{id}",
    response=Status,
    exclude_unset=True,
    summary="One post (no sign-in needed for public and unlisted posts)",
)
def status_detail(request: HttpRequest, id: str) -> StatusEntity:
    viewer = optional_viewer(request, "read:statuses")
    return status_entity(status_get_for_viewer(id, viewer), viewer, request, context="thread")


@router.put(
    "/{id}",
    response=Status,
    auth=TokenAuth("write:statuses"),
    exclude_unset=True,
    summary="Edit your post (text, content warning, sensitivity, language, media)",
)
def status_update(request: HttpRequest, id: str, payload: StatusEditIn) -> StatusEntity:
    """The earlier versions stay in the history. An absent `language` keeps the old one.
    As on Mastodon, `poll` replaces the post's poll (new answers reset its votes) and an
    edit without one removes it."""
    viewer = own_profile(request)
    status = status_get_for_viewer(id, viewer)
    edited = status_edit(
        editor=viewer,
        status=status,
        draft=draft_of(payload, language=status.language),
        media_ids=payload.media_ids,
        media_changes=[
            MediaDescription(media_id=item.id, description=item.description, focus=item.focus)
            for item in payload.media_attributes_list()
        ],
        poll=poll_draft_from(payload.poll),
    )
    return status_entity(edited, viewer, request)


@router.delete(
    "/{id}",
    response=Status,
    auth=TokenAuth("write:statuses"),
    exclude_unset=True,
    summary="Delete your post; answers it with its `text` (for delete and redraft)",
)
def status_destroy(request: HttpRequest, id: str) -> DeletedStatusEntity:
    viewer = own_profile(request)
    status = status_get_for_viewer(id, viewer)
    entity = deleted_status_entity(status, viewer, request)
    status_delete(actor=viewer, status=status)
    return entity


@router.get(
    "/{id}/history",
    response=list[StatusEdit],
    exclude_unset=True,
    summary="A post's versions, oldest first (no sign-in needed)",
)
def status_history(request: HttpRequest, id: str) -> list[StatusEditEntity]:
    viewer = optional_viewer(request, "read:statuses")
    return status_history_entities(status_get_for_viewer(id, viewer), request)


@router.get(
    "/{id}/source",
    response=StatusSource,
    auth=TokenAuth("read:statuses"),
    summary="A post's Markdown source and content warning, for editing",
)
def status_source(request: HttpRequest, id: str) -> StatusSourceEntity:
    """Any post the viewer may see, as on Mastodon (the source is no secret to them)."""
    return status_source_entity(status_get_for_viewer(id, own_profile(request)))


@router.get(
    "/{id}/context",
    response=Context,
    exclude_unset=True,
    summary="The posts above and below a post in its conversation (no sign-in needed)",
)
def status_context_detail(request: HttpRequest, id: str) -> ContextEntity:
    """Only the posts the viewer may see; both lists built in one batch."""
    viewer = optional_viewer(request, "read:statuses")
    context = status_context(status_get_for_viewer(id, viewer), viewer)
    ancestors = without_hidden(context.ancestors, viewer, "thread", request)
    descendants = without_hidden(context.descendants, viewer, "thread", request)
    entities = status_entities([*ancestors, *descendants], viewer, request, context="thread")
    split = len(ancestors)
    return {"ancestors": entities[:split], "descendants": entities[split:]}
