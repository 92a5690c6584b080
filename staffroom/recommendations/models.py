"""What the product stores for suggestions: graph-wide feature snapshots, dismissals and
starter packs. Never ready-made suggestion lists: those are computed per request from the
latest snapshot and the teacher's live neighbourhood (docs/subsystems/recommendations.md).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from staffroom.profiles.models import Profile

PACK_TITLE_MAX_LENGTH = 100
PACK_DESCRIPTION_MAX_LENGTH = 1000
PACK_ACCOUNTS_MAX = 150


class FeatureSnapshot(models.Model):
    """Graph-wide features at one moment: the follow graph, profile vectors, purpose lists
    and per-account activity, as compressed numpy arrays (`snapshot.py` writes and reads
    them). A periodic job writes a new row and keeps the latest two; web workers load the
    newest one once and notice a newer id with one indexed query per request."""

    created_at = models.DateTimeField(auto_now_add=True)
    accounts = models.PositiveIntegerField()
    follows = models.PositiveBigIntegerField()
    build_ms = models.PositiveIntegerField(default=0)
    data = models.BinaryField()

    def __str__(self) -> str:
        return f"snapshot {self.pk} ({self.accounts} accounts, {self.follows} follows)"


class Dismissal(models.Model):
    """ "Not for me": `profile` never sees `dismissed` suggested again, and accounts like it
    rank lower for them."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="dismissals")
    dismissed = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "dismissed"], name="dismissal_unique")
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} dismissed {self.dismissed_id}"


class StarterPack(models.Model):
    """A named, curated set of accounts to follow in one action, with the subjects and
    grade bands it serves. Anyone may see it; its curator (or an administrator) edits it."""

    curator = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="starter_packs")
    title = models.CharField(_("title"), max_length=PACK_TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), blank=True, default="")
    subjects = models.JSONField(_("subjects"), default=list, blank=True)
    grade_bands = models.JSONField(_("grade bands"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class StarterPackMember(models.Model):
    pack = models.ForeignKey(StarterPack, on_delete=models.CASCADE, related_name="memberships")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["pack", "profile"], name="starter_pack_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} in pack {self.pack_id}"
