"""The actor: a local teacher or a remote account, as ActivityPub and Mastodon see it.

Every account has exactly one profile. Remote profiles (federation) have no user and a
non-empty `domain`. Mastodon's `account.id` is this profile's id, not the login user's.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from staffroom.core.fields import SnowflakeIdField
from staffroom.profiles.handles import HANDLE_MAX_LENGTH


class ProfileQuerySet(models.QuerySet["Profile"]):
    def local(self) -> ProfileQuerySet:
        return self.filter(domain="")

    def discoverable(self) -> ProfileQuerySet:
        return self.filter(is_discoverable=True)


class Profile(models.Model):
    id = SnowflakeIdField()
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="profile",
    )
    handle = models.CharField(_("handle"), max_length=HANDLE_MAX_LENGTH)
    # Empty for local profiles; the remote server's host for federated ones.
    domain = models.CharField(max_length=253, blank=True, default="")
    uri = models.URLField(max_length=2048, unique=True)
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    is_locked = models.BooleanField(
        _("locked"),
        default=False,
        help_text=_("Approve each follower yourself."),
    )
    is_discoverable = models.BooleanField(
        _("discoverable"),
        default=True,
        help_text=_("Appear in the directory and in suggestions."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("handle"), "domain", name="profile_handle_domain_unique_ci"
            ),
            models.CheckConstraint(
                condition=models.Q(domain="", user__isnull=False) | ~models.Q(domain=""),
                name="profile_local_has_user",
            ),
        ]

    def __str__(self) -> str:
        return self.acct

    @property
    def is_local(self) -> bool:
        return self.domain == ""

    @property
    def acct(self) -> str:
        """Mastodon's `acct`: the bare handle for local accounts, `handle@domain` otherwise."""
        return self.handle if self.is_local else f"{self.handle}@{self.domain}"

    @property
    def name_for_display(self) -> str:
        return self.display_name or self.handle
