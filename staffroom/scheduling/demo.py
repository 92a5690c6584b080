"""The demo's scheduled posts: the demo account has a few posts waiting to be published
(tomorrow's starter, next week's reminder), so Scheduled posts is not empty in the demo."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from staffroom.core.demo import DemoContext, demo_part
from staffroom.posts.models import Visibility
from staffroom.profiles.models import Profile
from staffroom.scheduling.models import ScheduledStatus

DEMO_HANDLE = "demo"
WAITING = [
    (
        timedelta(days=1, hours=7),
        "Tomorrow's starter: estimate first, then calculate. What is 3/8 of 40? #mathchat",
        Visibility.PUBLIC,
    ),
    (
        timedelta(days=6, hours=2),
        "Reminder for my connections: our exit-ticket swap is on Friday. Bring one that "
        "worked and one that did not.",
        Visibility.CONNECTIONS,
    ),
]


@demo_part(order=48, name="scheduling")
def demo_scheduled_posts(context: DemoContext) -> None:
    """Two scheduled posts for the demo account (days ahead, so they stay waiting)."""
    demo = Profile.objects.filter(handle=DEMO_HANDLE, domain="").first()
    if demo is None:
        return
    midnight = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    ScheduledStatus.objects.bulk_create(
        ScheduledStatus(
            account=demo,
            scheduled_at=midnight + ahead,
            params={
                "text": text,
                "spoiler_text": "",
                "sensitive": False,
                "language": demo.default_language or "en",
                "visibility": visibility.value,
                "modality": None,
                "in_reply_to_id": None,
                "media_ids": None,
                "poll": None,
                "idempotency": None,
                "application_id": None,
            },
        )
        for ahead, text, visibility in WAITING
    )
