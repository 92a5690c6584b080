"""Who is told what: the one place that decides whether a notification is written.

- never to the person who acted;
- never across a block, either way;
- never from an account the teacher mutes with notifications hidden (while the mute lasts);
- never of a kind the teacher turned off (`NotificationPreferences.muted_kinds`);
- never from or to an account not in good standing (suspended, deactivated, pending);
- never to a remote account: it reads its notifications on its own server, which our
  activities reach through federation, not through rows here.

Then `policy_decision` applies the recipient's NotificationPolicy (Mastodon 4.3's
notification filtering) to what may be written: accept (shown), filter (put aside under a
notification request) or drop (not written). Blocks and mutes above always win.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from staffroom.graph.models import Follow
from staffroom.graph.selectors import is_blocked_either_way, muted_ids_for
from staffroom.notifications.models import (
    POLICY_CATEGORIES,
    NotificationKind,
    NotificationPermission,
    NotificationPreferences,
    PolicyChoice,
)
from staffroom.notifications.selectors import policy_of
from staffroom.posts.models import Status, Visibility
from staffroom.profiles.models import Profile

# Mastodon's thresholds: an account younger than this is "new"; a follower of less than
# this long does not yet count as a follower.
NEW_ACCOUNT_AGE = timedelta(days=30)
NEW_FOLLOWER_AGE = timedelta(days=3)

# Kinds no policy holds back: the recipient's own report handled (its account is their
# own) and an accepted connection (the recipient asked for it). Everything else is
# filterable, follow requests and connection requests included, as on Mastodon.
UNFILTERABLE_KINDS = frozenset(
    {NotificationKind.REPORT_RESOLVED, NotificationKind.CONNECTION_ACCEPTED}
)


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


def _is_private_mention_out_of_the_blue(
    recipient: Profile, kind: str, status: Status | None
) -> bool:
    """A direct post mentioning the recipient that is not a reply to one of theirs."""
    if kind != NotificationKind.MENTION or status is None:
        return False
    if status.visibility != Visibility.DIRECT:
        return False
    replied_to = status.in_reply_to
    return replied_to is None or replied_to.account_id != recipient.pk


def policy_decision(
    recipient: Profile, actor: Profile, kind: str, status: Status | None = None
) -> str:
    """`accept`, `filter` or `drop` for a notification `may_notify` allowed: each policy
    category that covers the sender adds its choice, and the strictest wins (drop, then
    filter). A sender whose request the recipient accepted is always accepted."""
    if kind in UNFILTERABLE_KINDS:
        return PolicyChoice.ACCEPT
    policy = policy_of(recipient)
    choices = {getattr(policy, category) for category in POLICY_CATEGORIES}
    if choices <= {PolicyChoice.ACCEPT}:
        return PolicyChoice.ACCEPT
    if NotificationPermission.objects.filter(recipient=recipient, account=actor).exists():
        return PolicyChoice.ACCEPT
    applying: set[str] = set()
    follows_actor = Follow.objects.filter(follower=recipient, followee=actor).exists()
    if not follows_actor:
        applying.add(policy.for_not_following)
    follower_since = (
        Follow.objects.filter(follower=actor, followee=recipient)
        .values_list("created_at", flat=True)
        .first()
    )
    now = timezone.now()
    if follower_since is None or follower_since > now - NEW_FOLLOWER_AGE:
        applying.add(policy.for_not_followers)
    if actor.created_at > now - NEW_ACCOUNT_AGE:
        applying.add(policy.for_new_accounts)
    if not follows_actor and _is_private_mention_out_of_the_blue(recipient, kind, status):
        applying.add(policy.for_private_mentions)
    if actor.limited_at is not None:
        applying.add(policy.for_limited_accounts)
    for choice in (PolicyChoice.DROP, PolicyChoice.FILTER):
        if choice in applying:
            return choice
    return PolicyChoice.ACCEPT
