"""`/api/v1/polls`: read a poll and vote on it, as Mastodon's routes.

A poll is resolved through its post's visibility (`poll_get_for_viewer`): the poll of a
post the caller may not see answers 404 "Record not found", exactly as an unknown id.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from staffroom.core.api.auth import TokenAuth
from staffroom.polls.entities import PollEntity, poll_entity
from staffroom.polls.schemas import Poll, PollVoteIn
from staffroom.polls.selectors import own_votes, poll_get_for_viewer, poll_view
from staffroom.polls.services import poll_vote
from staffroom.profiles.selectors import own_profile
from staffroom.profiles.viewer import optional_viewer

router = Router(tags=["polls"])


@router.get(
    "/{id}",
    response=Poll,
    exclude_unset=True,
    summary="A poll (no sign-in needed for the poll of a public or unlisted post)",
)
def poll_detail(request: HttpRequest, id: str) -> PollEntity:
    viewer = optional_viewer(request, "read:statuses")
    poll = poll_get_for_viewer(id, viewer)
    return poll_entity(poll_view(poll), viewer, own_votes(viewer, [poll.pk]))


@router.post(
    "/{id}/votes",
    response=Poll,
    auth=TokenAuth("write:statuses"),
    exclude_unset=True,
    summary="Vote on a poll (`choices[]`: the answers' indexes, from 0)",
)
def poll_vote_create(request: HttpRequest, id: str, payload: PollVoteIn) -> PollEntity:
    """Once per poll; several answers only on a multiple-choice poll; never on your own
    poll or one that has ended (422, Mastodon's messages)."""
    viewer = own_profile(request)
    poll = poll_vote(
        voter=viewer, poll=poll_get_for_viewer(id, viewer), choices=payload.choices or []
    )
    return poll_entity(poll_view(poll), viewer, own_votes(viewer, [poll.pk]))
