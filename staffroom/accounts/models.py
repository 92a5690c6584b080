"""Sign-in identities and the joining rules an administrator sets.

The login user is separate from the profile (the actor): e-mail and password live here,
the public identity lives in `profiles.Profile`.
"""

from __future__ import annotations

import secrets
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    """Creates bare users; `accounts.services.account_create` also creates the profile."""

    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True, email_verified_at=timezone.now())
        return self._create(email, password, **extra)


class ApprovalState(models.TextChoices):
    APPROVED = "approved", _("Approved")
    PENDING = "pending", _("Waiting for approval")
    REJECTED = "rejected", _("Rejected")


class StaffRole(models.TextChoices):
    """Who may moderate (staffroom/moderation/roles.py). The superuser made at installation
    is the owner, above every role."""

    MEMBER = "member", _("Member")
    MODERATOR = "moderator", _("Moderator")
    ADMIN = "admin", _("Administrator")


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    approval = models.CharField(
        max_length=16, choices=ApprovalState.choices, default=ApprovalState.APPROVED
    )
    signup_reason = models.TextField(_("why you want to join"), blank=True, max_length=1000)
    role = models.CharField(max_length=16, choices=StaffRole.choices, default=StaffRole.MEMBER)
    # When the person accepted the server's rules and terms (at sign-up).
    rules_accepted_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]

    def __str__(self) -> str:
        return self.email

    @property
    def is_email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_approved(self) -> bool:
        return self.approval == ApprovalState.APPROVED


class RegistrationMode(models.TextChoices):
    OPEN = "open", _("Open: anyone may join")
    APPROVAL = "approval", _("Approval: an administrator approves each sign-up")
    INVITATION = "invitation", _("Invitation only")
    CLOSED = "closed", _("Closed: nobody may join")


class SiteConfiguration(models.Model):
    """The joining rules, one row, edited by administrators in the admin.

    The first read seeds it from STAFFROOM_REGISTRATION_MODE and
    STAFFROOM_ALLOWED_EMAIL_DOMAINS; after that the row is the truth.
    """

    registration_mode = models.CharField(
        max_length=16, choices=RegistrationMode.choices, default=RegistrationMode.OPEN
    )
    allowed_email_domains = models.TextField(
        blank=True,
        help_text=_(
            "One domain per line, e.g. ourdistrict.org. Empty means any domain. "
            "Subdomains of a listed domain are allowed too."
        ),
    )
    require_email_verification = models.BooleanField(default=True)
    # Every image must carry alt text, and every recording a transcript or description,
    # before a post with it is published (media.services.attachments_for_post).
    require_media_description = models.BooleanField(
        default=False,
        help_text=_(
            "Refuse posts whose images have no alt text or whose recordings have no "
            "transcript or description."
        ),
    )
    # The server's terms (Markdown), shown at sign-up and on /about; set by administrators
    # on /moderation/rules (moderation.services.terms_update).
    terms = models.TextField(blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("site configuration")
        verbose_name_plural = _("site configuration")

    def __str__(self) -> str:
        return str(_("Joining rules"))

    @property
    def allowed_domains(self) -> list[str]:
        return [
            line.strip().lower().lstrip("@")
            for line in self.allowed_email_domains.splitlines()
            if line.strip()
        ]


def new_invite_code() -> str:
    return secrets.token_urlsafe(12)


class Invite(models.Model):
    code = models.CharField(max_length=32, unique=True, default=new_invite_code)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="invites"
    )
    note = models.CharField(max_length=200, blank=True)
    max_uses = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Empty means no limit.")
    )
    uses = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.code

    def is_usable(self, *, now: Any = None) -> bool:
        now = now or timezone.now()
        if self.expires_at is not None and self.expires_at <= now:
            return False
        return self.max_uses is None or self.uses < self.max_uses
