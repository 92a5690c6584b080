"""The polls' export part: the polls the teacher asked and the votes they cast.

`polls.json` holds `polls`, one per poll of the teacher's own posts (the post's id and URI
as in `posts.json`, each answer with its count, choice mode, end), and `votes`, the
teacher's choices on polls of posts they can still see (by the post's URI and the answers'
titles, never the post's text; SECURITY-PLAN D-1).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from staffroom.leaving.export import ExportWriter, export_part
from staffroom.polls.models import Poll
from staffroom.polls.selectors import polls_voted_by
from staffroom.posts.selectors import visible_statuses
from staffroom.profiles.models import Profile

if TYPE_CHECKING:
    from staffroom.accounts.models import User

CHUNK = 200


def _poll(poll: Poll) -> dict[str, Any]:
    return {
        "id": str(poll.pk),
        "status_id": str(poll.status_id),
        "status_uri": poll.status.uri,
        "multiple": poll.multiple,
        "hide_totals": poll.hide_totals,
        "expires_at": poll.expires_at,
        "votes_count": poll.votes_count,
        "voters_count": poll.voters_count,
        "options": [
            {"title": option.title, "votes_count": option.votes_count}
            for option in poll.options.all()
        ],
    }


@export_part(name="polls", version=1, order=205)
def polls_export(user: User, writer: ExportWriter) -> None:
    """`polls.json`: `polls` (the teacher's own, oldest first) and `votes`."""
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return
    own = (
        Poll.objects.filter(account=profile)
        .select_related("status")
        .prefetch_related("options")
        .order_by("id")
    )
    cast = polls_voted_by(profile)
    voted_on = {vote.poll.status_id for vote in cast}
    visible = set(visible_statuses(profile).filter(pk__in=voted_on).values_list("pk", flat=True))
    votes: dict[int, dict[str, Any]] = {}
    for vote in cast:
        if vote.poll.status_id not in visible:
            continue
        entry = votes.setdefault(
            vote.poll_id,
            {"status_uri": vote.poll.status.uri, "choices": [], "created_at": vote.created_at},
        )
        entry["choices"].append(vote.choice)
    writer.write_json(
        "polls.json",
        {
            "polls": [_poll(poll) for poll in own.iterator(chunk_size=CHUNK)],
            "votes": list(votes.values()),
        },
    )
