"""The conversations part of the demo community: what `demo` finds on /conversations.

The posts part writes direct messages between connected colleagues in bulk, and the
`derived` part's BulkLoaded rebuilds every conversation from them (all read). This part
makes the demo look lived in: the most recent of demo's conversations whose last message
someone else wrote are marked unread, as if it came while demo was away.
"""

from __future__ import annotations

from staffroom.conversations.selectors import conversations_for
from staffroom.conversations.services import conversation_refresh
from staffroom.core.demo import DemoContext, demo_part
from staffroom.profiles.models import Profile

UNREAD = 2


@demo_part(order=79, name="conversations")
def demo_conversations(context: DemoContext) -> None:
    """Mark demo's newest conversations from others unread (see the module docstring)."""
    users = context.get("demo_user")
    demo = Profile.objects.filter(user__in=users).first() if users else None
    if demo is None:
        return
    rows = conversations_for(demo, limit=40)
    from_others = [
        row for row in rows if row.last_status is not None and row.last_status.account_id != demo.pk
    ]
    for row in from_others[:UNREAD]:
        conversation_refresh(owner=demo, thread_id=row.thread_id, unread=True)
    context.log(f"demo: {len(rows)} conversations for @demo ({len(from_others[:UNREAD])} unread)")
