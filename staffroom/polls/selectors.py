"""Reading polls for a viewer: one poll through its post's visibility, and the polls of a
page of posts in three queries whatever the page's size."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from staffroom.core.exceptions import NOT_FOUND, NotFound
from staffroom.core.ids import id_or_not_found
from staffroom.polls.models import Poll, PollOption, PollVote
from staffroom.posts.selectors import visible_statuses
from staffroom.profiles.models import Profile

# A viewer's choices by poll id.
OwnVotes = dict[int, list[int]]


@dataclass(frozen=True)
class PollView:
    """A poll with its answers in order."""

    poll: Poll
    options: list[PollOption]


def poll_get_for_viewer(poll_id: object, viewer: Profile | None) -> Poll:
    """The poll of a post `viewer` may see; NotFound ("Record not found") otherwise, the
    same answer as for a poll that never existed."""
    poll = (
        Poll.objects.select_related("status__account")
        .filter(pk=id_or_not_found(poll_id), status__in=visible_statuses(viewer).values("pk"))
        .first()
    )
    if poll is None:
        raise NotFound(NOT_FOUND)
    return poll


def poll_views_for_statuses(status_ids: Collection[int]) -> dict[int, PollView]:
    """The polls of these posts by post id, with their answers: one query whatever the
    number of posts (every poll has answers, so the answers bring their polls along). The
    caller has already decided who may see the posts."""
    if not status_ids:
        return {}
    rows = (
        PollOption.objects.select_related("poll")
        .filter(poll__status_id__in=list(status_ids))
        .order_by("poll_id", "position")
    )
    return _grouped(list(rows))


def poll_view(poll: Poll) -> PollView:
    rows = list(PollOption.objects.filter(poll=poll).order_by("position"))
    return PollView(poll=poll, options=rows)


def _grouped(rows: list[PollOption]) -> dict[int, PollView]:
    views: dict[int, PollView] = {}
    for option in rows:
        poll = option.poll
        view = views.get(poll.status_id)
        if view is None:
            view = views[poll.status_id] = PollView(poll=poll, options=[])
        view.options.append(option)
    return views


def own_votes_for(viewer_ids: Collection[int], poll_ids: Collection[int]) -> dict[int, OwnVotes]:
    """Each viewer's choices on these polls (`{viewer: {poll: [choice, ...]}}`), one query
    for every viewer together; viewers without votes map to an empty dict."""
    found: dict[int, OwnVotes] = {viewer_id: {} for viewer_id in viewer_ids}
    if not viewer_ids or not poll_ids:
        return found
    rows = PollVote.objects.filter(poll_id__in=list(poll_ids), account_id__in=list(viewer_ids))
    for account_id, poll_id, choice in rows.order_by("choice").values_list(
        "account_id", "poll_id", "choice"
    ):
        found[account_id].setdefault(poll_id, []).append(choice)
    return found


def own_votes(viewer: Profile | None, poll_ids: Collection[int]) -> OwnVotes:
    """The viewer's choices on these polls by poll id (none when signed out)."""
    if viewer is None:
        return {}
    return own_votes_for([viewer.pk], poll_ids)[viewer.pk]


def poll_voter_ids(poll_id: int) -> list[int]:
    """Everyone who voted on the poll, once each."""
    return sorted(
        set(PollVote.objects.filter(poll_id=poll_id).values_list("account_id", flat=True))
    )


def polls_voted_by(profile: Profile) -> list[PollVote]:
    """The teacher's votes, with their polls' posts, oldest first (for the export)."""
    return list(
        PollVote.objects.filter(account=profile).select_related("poll__status").order_by("id")
    )
