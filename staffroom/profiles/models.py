"""The actor: a local teacher or a remote account, as ActivityPub and Mastodon see it.

Every account has exactly one profile. Remote profiles (federation) have no user and a
non-empty `domain`. Mastodon's `account.id` is this profile's id, not the login user's.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from staffroom.accounts.models import ApprovalState
from staffroom.core import limits
from staffroom.core.fields import SnowflakeIdField
from staffroom.profiles.handles import HANDLE_MAX_LENGTH

# The limits live in core/limits.py, which /api/v2/instance also publishes.
NOTE_MAX_LENGTH = limits.NOTE_MAX
FIELDS_MAX_COUNT = limits.PROFILE_FIELDS_MAX
FIELD_NAME_MAX_LENGTH = limits.PROFILE_FIELD_NAME_MAX
FIELD_VALUE_MAX_LENGTH = limits.PROFILE_FIELD_VALUE_MAX


def validate_profile_fields(value: Any) -> None:
    """The profile's extra fields: at most four `{"name": str, "value": str}` objects."""
    if not isinstance(value, list):
        raise ValidationError(_("Profile fields must be a list."), code="fields_type")
    if len(value) > FIELDS_MAX_COUNT:
        raise ValidationError(
            _("A profile has at most %(count)d fields."),
            code="fields_count",
            params={"count": FIELDS_MAX_COUNT},
        )
    for item in value:
        if (
            not isinstance(item, dict)
            or set(item) != {"name", "value"}
            or not isinstance(item["name"], str)
            or not isinstance(item["value"], str)
        ):
            raise ValidationError(_("Each profile field has a name and a value."), code="field")
        if len(item["name"]) > FIELD_NAME_MAX_LENGTH or len(item["value"]) > FIELD_VALUE_MAX_LENGTH:
            raise ValidationError(_("A profile field is too long."), code="field_length")


def good_standing_q(prefix: str = "") -> models.Q:
    """The standing rule in SQL, for the profile at `prefix` (e.g. `account__`): not
    suspended, and, for a local account, a user who is active and approved (a moderator's
    suspension also deactivates the user; deleting an account deactivates it too). A remote
    profile has no user here: only its suspension counts. `Profile.is_in_good_standing` is
    the same rule in Python; tests/profiles/test_standing.py holds the two together.

    A condition on the (joined) profile row, not `IN (every good profile)`, so a page that
    asks for a few posts does not make the planner walk every author."""
    return models.Q(**{f"{prefix}suspended_at__isnull": True}) & (
        models.Q(**{f"{prefix}domain__gt": ""})
        | models.Q(
            **{
                f"{prefix}user__is_active": True,
                f"{prefix}user__approval": ApprovalState.APPROVED,
            }
        )
    )


class ProfileQuerySet(models.QuerySet["Profile"]):
    def local(self) -> ProfileQuerySet:
        return self.filter(domain="")

    def discoverable(self) -> ProfileQuerySet:
        """Profiles that chose to be found, less those a moderator limited."""
        return self.filter(is_discoverable=True, limited_at__isnull=True)

    def in_good_standing(self) -> ProfileQuerySet:
        """Profiles in good standing (`good_standing_q`): pending, rejected, deactivated and
        suspended accounts, local or remote, appear nowhere in public lists or lookups."""
        return self.filter(good_standing_q())

    def email_verified(self) -> ProfileQuerySet:
        """Remote profiles, and local ones whose user confirmed their e-mail address."""
        return self.filter(~models.Q(domain="") | models.Q(user__email_verified_at__isnull=False))


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
    # The bio as the teacher typed it (rendered for display by the interfaces).
    note = models.TextField(
        _("bio"), blank=True, default="", validators=[MaxLengthValidator(NOTE_MAX_LENGTH)]
    )
    # Mastodon's profile metadata: [{"name": ..., "value": ...}], plain text as typed.
    fields = models.JSONField(
        _("profile fields"), blank=True, default=list, validators=[validate_profile_fields]
    )
    # Storage names of images made by core/images.py; empty means the default image.
    avatar = models.CharField(_("avatar"), max_length=255, blank=True, default="")
    header = models.CharField(_("header image"), max_length=255, blank=True, default="")
    # --- Professional profile (subjects, grades, practices, tags and languages live in
    # ProfileTerm rows, so directories filter them the same way on SQLite and PostgreSQL).
    role = models.CharField(_("role"), max_length=32, blank=True, default="")
    experience_years = models.PositiveSmallIntegerField(
        _("years of experience"), null=True, blank=True
    )
    mentorship = models.CharField(_("mentorship"), max_length=16, blank=True, default="")
    timezone = models.CharField(_("time zone"), max_length=64, blank=True, default="")
    # The bio rendered from `note` through core/html.py (Markdown subset, then nh3).
    note_html = models.TextField(blank=True, default="")
    # --- PLN goals: what the teacher wants from the network (owner-only over the API).
    goal_purposes = models.JSONField(_("purposes"), blank=True, default=list)
    interaction_style = models.CharField(max_length=16, blank=True, default="")
    learning_styles = models.JSONField(_("ways of learning"), blank=True, default=list)
    # --- Privacy.
    is_indexable = models.BooleanField(
        _("indexable"), default=True, help_text=_("Let others find your posts in search.")
    )
    hide_follows = models.BooleanField(
        _("hide my follow lists"), default=False, help_text=_("Others do not see whom you follow.")
    )
    # --- Posting defaults (Mastodon's `source[privacy]`, `source[sensitive]`,
    # `source[language]`), used when a post is made without saying. The visibility holds a
    # `posts.models.Visibility` value; posts/posting_defaults.py checks what is stored.
    default_visibility = models.CharField(
        _("default post visibility"), max_length=16, default="public"
    )
    default_sensitive = models.BooleanField(_("mark posts as sensitive"), default=False)
    default_language = models.CharField(
        _("default post language"), max_length=35, blank=True, default=""
    )
    is_away = models.BooleanField(
        _("away (summer break)"),
        default=False,
        help_text=_("Shown as away, hidden from the directory and suggestions."),
    )
    onboarded_at = models.DateTimeField(null=True, blank=True)
    # --- Moderation (staffroom/moderation/services.py). Limited: left out of public and
    # hashtag timelines, the directory and suggestions. Suspended: the user is inactive too
    # (sign-in refused, everything hidden); nothing is deleted.
    limited_at = models.DateTimeField(null=True, blank=True)
    suspended_at = models.DateTimeField(null=True, blank=True)
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
    def is_in_good_standing(self) -> bool:
        """`good_standing_q` in Python (load the user with the profile to spare a query)."""
        if self.suspended_at is not None:
            return False
        if not self.is_local:
            return True
        user = self.user
        return user is not None and user.is_active and user.approval == ApprovalState.APPROVED

    @property
    def acct(self) -> str:
        """Mastodon's `acct`: the bare handle for local accounts, `handle@domain` otherwise."""
        return self.handle if self.is_local else f"{self.handle}@{self.domain}"

    @property
    def name_for_display(self) -> str:
        return self.display_name or self.handle


class TermKind(models.TextChoices):
    SUBJECT = "subject", _("Subject")
    GRADE = "grade", _("Grade")
    PRACTICE = "practice", _("Practice")
    TAG = "tag", _("Tag")
    LANGUAGE = "language", _("Language")


class ProfileTerm(models.Model):
    """One subject, grade, practice, free tag or language on a profile.

    Taxonomy slugs for the first three and languages; free tags are lower-case words. Rows,
    not a JSON list, so "grade 7 math teachers" is an indexed join on both databases.
    """

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="terms")
    kind = models.CharField(max_length=16, choices=TermKind.choices)
    value = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "kind", "value"], name="profile_term_unique")
        ]
        indexes = [models.Index(fields=["kind", "value"], name="profile_term_lookup")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class ProfileStats(models.Model):
    """A profile's public counters, as Mastodon's account_stats: followers, following,
    posts (direct messages not counted) and when it last posted.

    Moved with `F()` in the same transaction as the follow or post they count (receivers in
    `graph/counters.py` and `posts/counters.py`), so they stay exact under concurrency, and
    an Account entity reads one indexed row instead of counting thousands. Rows written in
    bulk around the services (the demo, the benchmark) are followed by `stats_recount()`.
    """

    profile = models.OneToOneField(
        Profile, on_delete=models.CASCADE, primary_key=True, related_name="stats"
    )
    followers_count = models.BigIntegerField(default=0)
    following_count = models.BigIntegerField(default=0)
    statuses_count = models.BigIntegerField(default=0)
    last_status_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"stats of {self.profile_id}"
