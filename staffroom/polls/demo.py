"""The demo's polls: a few demo teachers ask their colleagues a quick question, through the
same services a teacher's post and vote use. One poll has ended (so its results show and its
voters were told); the others are still open, with some votes already in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from staffroom.core.demo import DemoContext, demo_part
from staffroom.core.exceptions import DomainError
from staffroom.polls.models import Poll
from staffroom.polls.services import PollDraft, poll_vote, polls_end_due
from staffroom.posts.models import Visibility
from staffroom.posts.services import PostText, status_create
from staffroom.profiles.models import Profile

DAY = 24 * 60 * 60


@dataclass(frozen=True)
class DemoPoll:
    text: str
    options: tuple[str, ...]
    expires_in: int
    multiple: bool = False


DEMO_POLLS = (
    DemoPoll(
        "Quick poll for #edchat: how do you collect exit tickets these days?",
        ("Paper slips", "Mini whiteboards", "A form online", "Thumbs / fingers"),
        3 * DAY,
    ),
    DemoPoll(
        "Planning next term's PD. Which would help your classroom most? (pick any)",
        ("Formative assessment", "Classroom talk", "Differentiation", "Tech tools"),
        7 * DAY,
        multiple=True,
    ),
    DemoPoll(
        "Homework in primary: yes or no? Curious where my PLN stands. #edchat",
        ("Yes, a little", "Reading only", "No homework"),
        DAY,
    ),
)


@demo_part(order=46, name="polls")
def demo_polls(context: DemoContext) -> None:
    """One public poll for each of DEMO_POLLS, by a different teacher each, with votes from
    other demo teachers; the last one is ended."""
    profiles: list[Profile] = list(context.get("profiles"))
    if len(profiles) < 2:
        return
    rng = context.rng
    authors = rng.sample(profiles, min(len(DEMO_POLLS), len(profiles)))
    votes = 0
    last = None
    for author, item in zip(authors, DEMO_POLLS, strict=False):
        status = status_create(
            author=author,
            draft=PostText(text=item.text, language="en"),
            visibility=Visibility.PUBLIC,
            poll=PollDraft(
                options=item.options, expires_in=item.expires_in, multiple=item.multiple
            ),
        )
        poll = Poll.objects.get(status_id=status.pk)
        others = [profile for profile in profiles if profile.pk != author.pk]
        for voter in rng.sample(others, min(len(others), rng.randint(3, 12))):
            count = rng.randint(1, 2) if item.multiple else 1
            choices = rng.sample(range(len(item.options)), count)
            try:
                poll_vote(voter=voter, poll=poll, choices=choices)
            except DomainError:  # a demo teacher who blocked the author cannot see it
                continue
            votes += 1
        last = poll
    if last is not None:
        # Ended an hour ago, so its results show and its voters and author are told.
        Poll.objects.filter(pk=last.pk).update(expires_at=timezone.now() - timedelta(hours=1))
        polls_end_due()
    context.log(f"demo: {len(authors)} polls with {votes} votes")
