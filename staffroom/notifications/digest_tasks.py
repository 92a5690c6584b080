"""The periodic job that e-mails notification digests (`email.py` builds and sends them).

A module of its own beside `tasks.py` (which holds the jobs that write notifications);
`tasks.py` imports it so that the scheduler, which imports each app's `tasks` module,
registers the periodic job.
"""

from __future__ import annotations

from datetime import timedelta

from staffroom.core.jobs import job
from staffroom.core.scheduler import periodic
from staffroom.notifications.email import digests_send


@periodic(every=timedelta(minutes=15), name="notifications.email-digest")
@job(max_attempts=3)
def notifications_email_digest() -> None:
    """E-mail each teacher who opted in one digest of what is new (at most one e-mail per
    teacher per run; docs/subsystems/notifications.md, "E-mail")."""
    digests_send()
