"""Who is told what: the one place that decides whether a notification is written.

- never to the person who acted;
- never across a block, either way;
- never from an account the teacher mutes with notifications hidden (while the mute lasts);
- never of a kind the teacher turned off (`NotificationPreferences.muted_kinds`);
- never from or to an account not in good standing (suspended, deactivated, pending);
- never to a remote account: it reads its notifications on its own server, which our
  activities reach through federation, not through rows here.
"""

from __future__ import annotations

from staffroom.graph.selectors import is_blocked_either_way, muted_ids_for
from staffroom.notifications.models import NotificationPreferences
from staffroom.profiles.models import Profile


def may_notify(recipient: Profile, actor: Profile, kind: str) -> bool:
    if recipient.pk == actor.pk or not recipient.is_local:
        return False
    standing = Profile.objects.in_good_standing().filter(pk__in=[recipient.pk, actor.pk])
    if standing.count() != 2:
        return False
    if is_blocked_either_way(recipient, actor):
        return False
    if actor.pk in muted_ids_for(recipient, notifications=True):
        return False
    preferences = NotificationPreferences.objects.filter(owner=recipient).first()
    return preferences is None or kind not in preferences.muted_kinds
