"""The social graph between profiles (actors): follows, requests, connections, blocks, mutes,
and purpose lists.

Every party is a `Profile`, never a login user, so remote accounts fit the same rows later.
Follower and following counts live in `profiles.ProfileStats`, moved with each follow row
in the same transaction (`graph/counters.py`; see docs/subsystems/graph.md).
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Greatest, Least
from django.utils.translation import gettext_lazy as _

from staffroom.core.fields import SnowflakeIdField
from staffroom.core.pln import Purpose
from staffroom.profiles.models import Profile

LIST_TITLE_MAX_LENGTH = 256


class FollowOptions(models.Model):
    """What a follower chose when following: Mastodon's `notify` and `reblogs`, plus quiet."""

    # Quiet: the followee gets no notification of this follow (the notifications issue).
    is_quiet = models.BooleanField(default=False)
    # Mastodon's `notify`: the follower is notified of each new post.
    notify = models.BooleanField(default=False)
    # Mastodon's `reblogs`: the followee's boosts appear in the follower's home feed.
    show_reblogs = models.BooleanField(default=True)

    class Meta:
        abstract = True


class Follow(FollowOptions):
    """`follower` follows `followee`. The id orders follower and following pages."""

    id = SnowflakeIdField()
    follower = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="following_set")
    followee = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="follower_set")
    created_at = models.DateTimeField(auto_now_add=True)
    # Mastodon's endorsement (`/accounts/:id/pin`): the follower features the followee on
    # their profile ("Recommended colleagues"). On the follow row, so it ends with it.
    endorsed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followee"], name="graph_follow_unique"),
            models.CheckConstraint(
                condition=~models.Q(follower=models.F("followee")), name="graph_follow_not_self"
            ),
        ]
        indexes = [models.Index(fields=["followee", "follower"], name="graph_follow_followee")]

    def __str__(self) -> str:
        return f"{self.follower_id} -> {self.followee_id}"


class FollowRequest(FollowOptions):
    """A follow of a locked profile, waiting for its owner to authorize or reject it.

    `purpose_list_ids` holds the follower's own lists chosen with the follow; they take
    effect when the request is authorized (list membership exists only for follows).
    """

    id = SnowflakeIdField()
    follower = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="outgoing_follow_requests"
    )
    followee = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="incoming_follow_requests"
    )
    purpose_list_ids = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["follower", "followee"], name="graph_follow_request_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(follower=models.F("followee")),
                name="graph_follow_request_not_self",
            ),
        ]
        indexes = [
            models.Index(fields=["followee", "follower"], name="graph_follow_request_followee")
        ]

    def __str__(self) -> str:
        return f"{self.follower_id} -> {self.followee_id} (requested)"


class ConnectionState(models.TextChoices):
    ASKED = "asked", _("Asked")
    ACCEPTED = "accepted", _("Accepted")


class Connection(models.Model):
    """A mutual, personal relationship: `requester` asked, `addressee` accepts or declines.

    One record per unordered pair: the unique constraint is on (lower id, higher id), so a
    second ask in the other direction cannot make a second row, whatever the race.
    """

    id = SnowflakeIdField()
    requester = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="connections_asked"
    )
    addressee = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="connections_received"
    )
    state = models.CharField(
        max_length=16, choices=ConnectionState.choices, default=ConnectionState.ASKED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Least("requester", "addressee"),
                Greatest("requester", "addressee"),
                name="graph_connection_pair_unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(requester=models.F("addressee")),
                name="graph_connection_not_self",
            ),
        ]
        indexes = [models.Index(fields=["addressee", "state"], name="graph_connection_addressee")]

    def __str__(self) -> str:
        return f"{self.requester_id} ~ {self.addressee_id} ({self.state})"

    def other_party(self, profile_id: int) -> int:
        return int(self.addressee_id if self.requester_id == profile_id else self.requester_id)


class Block(models.Model):
    id = SnowflakeIdField()
    blocker = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="blocks_made")
    blocked = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="blocks_received")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="graph_block_unique"),
            models.CheckConstraint(
                condition=~models.Q(blocker=models.F("blocked")), name="graph_block_not_self"
            ),
        ]
        indexes = [models.Index(fields=["blocked", "blocker"], name="graph_block_blocked")]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"


class Mute(models.Model):
    """`muter` hides `muted` from feeds (and notifications when `hide_notifications`) until
    `expires_at` (never when null). Expired rows are ignored by every selector."""

    id = SnowflakeIdField()
    muter = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="mutes_made")
    muted = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="mutes_received")
    hide_notifications = models.BooleanField(default=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["muter", "muted"], name="graph_mute_unique"),
            models.CheckConstraint(
                condition=~models.Q(muter=models.F("muted")), name="graph_mute_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.muter_id} mutes {self.muted_id}"


ACCOUNT_NOTE_MAX_LENGTH = 2000


class AccountNote(models.Model):
    """Mastodon's account note: `author`'s private comment on `target`, shown only to the
    author (Relationship `note`). An empty comment deletes the row."""

    author = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="notes_written")
    target = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    comment = models.TextField(max_length=ACCOUNT_NOTE_MAX_LENGTH)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["author", "target"], name="graph_note_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.author_id} on {self.target_id}"


class RepliesPolicy(models.TextChoices):
    """Mastodon's list `replies_policy`: which replies the list feed shows."""

    FOLLOWED = "followed", _("Replies to any followed account")
    LIST = "list", _("Replies to members of the list")
    NONE = "none", _("No replies")


class PurposeList(models.Model):
    """A Mastodon list with a purpose type (DESIGN.md, "Purposes"); blank purpose = none set,
    as for a list made by a stock Mastodon client."""

    id = SnowflakeIdField()
    owner = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="purpose_lists")
    title = models.CharField(_("title"), max_length=LIST_TITLE_MAX_LENGTH)
    purpose = models.CharField(
        _("purpose"), max_length=16, choices=Purpose.choices, blank=True, default=""
    )
    # Mastodon's `exclusive`: members' posts are kept out of the home feed.
    exclusive = models.BooleanField(_("exclusive"), default=False)
    replies_policy = models.CharField(
        max_length=16, choices=RepliesPolicy.choices, default=RepliesPolicy.LIST
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "id"], name="graph_list_owner")]

    def __str__(self) -> str:
        return self.title


class PurposeListMember(models.Model):
    list = models.ForeignKey(PurposeList, on_delete=models.CASCADE, related_name="memberships")
    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="purpose_list_memberships"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["list", "profile"], name="graph_list_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} in {self.list_id}"


DOMAIN_MAX_LENGTH = 253


class DomainBlock(models.Model):
    """`account` hides everything from the server `domain` (Mastodon's user domain block).

    `domain` is stored lower-case, in its ASCII (punycode) form. Today every account here
    is local, so only what is cheap and true already applies (docs/subsystems/graph.md,
    "Domain blocks"); the rest takes effect with federation.
    """

    id = SnowflakeIdField()
    account = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="domain_blocks")
    domain = models.CharField(max_length=DOMAIN_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "domain"], name="graph_domain_block_unique")
        ]
        indexes = [models.Index(fields=["account", "id"], name="graph_domain_block_account")]

    def __str__(self) -> str:
        return f"{self.account_id} blocks {self.domain}"
