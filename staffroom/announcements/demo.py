"""The demo's announcement: the administrator welcomes everyone to the demo community, and
a few teachers react, so the home page banner and Mastodon apps have something to show.
Made through the services; a demo that already has announcements gets none."""

from __future__ import annotations

from staffroom.announcements.models import Announcement
from staffroom.announcements.services import announcement_create, announcement_reaction_add
from staffroom.core.demo import DemoContext, demo_part
from staffroom.profiles.models import Profile

WELCOME = (
    "Welcome to the **Staffroom demo**! Every teacher here is made up; look around, follow "
    "colleagues for a purpose, and share what worked in your classroom this week."
)
REACTIONS = ("👋", "🍎", "🎉")


@demo_part(order=71, name="announcements")
def demo_announcements(context: DemoContext) -> None:
    admins = context.get("admin")
    if not admins or Announcement.objects.exists():
        return
    announcement = announcement_create(actor=admins[0], text=WELCOME)
    teachers = Profile.objects.in_good_standing().filter(domain="").order_by("id")[:12]
    for index, teacher in enumerate(teachers):
        name = REACTIONS[index % len(REACTIONS)]
        announcement_reaction_add(account=teacher, announcement_id=announcement.pk, name=name)
    context.log("demo: a welcome announcement with reactions")
