"""Writes for accounts: joining, verifying, approving."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from staffroom.accounts.models import (
    ApprovalState,
    Invite,
    RegistrationMode,
    SiteConfiguration,
    StaffRole,
    User,
)
from staffroom.accounts.selectors import site_configuration
from staffroom.accounts.tasks import approval_email_send_task, verification_email_send_task
from staffroom.accounts.tokens import check_verification_token
from staffroom.accounts.validators import email_domain_allowed, validate_signup_email
from staffroom.core.exceptions import Conflict, PermissionDenied
from staffroom.core.jobs import enqueue
from staffroom.oauth.services import tokens_revoke_all
from staffroom.profiles.services import handle_check_available, profile_create_local


@dataclass(frozen=True)
class Registration:
    """What a person typed on the sign-up form (or sent to the API)."""

    email: str
    handle: str
    password: str
    display_name: str = ""
    invite_code: str = ""
    reason: str = ""


@transaction.atomic
def account_create(
    *,
    email: str,
    handle: str,
    password: str | None,
    display_name: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
    verified: bool = False,
    approval: str = ApprovalState.APPROVED,
) -> User:
    """Create a user and their profile together; the one way accounts come to exist.

    Used by sign-up, `createsuperuser` and the demo. Raises ValidationError for a bad
    handle or an e-mail address already in use.
    """
    handle_check_available(handle)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            _("An account with this e-mail address already exists."), code="email_taken"
        )
    user = User(
        email=email.lower(),
        is_staff=is_staff,
        is_superuser=is_superuser,
        role=StaffRole.ADMIN if is_staff or is_superuser else StaffRole.MEMBER,
        approval=approval,
        email_verified_at=timezone.now() if verified else None,
    )
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            profile_create_local(user=user, handle=handle, display_name=display_name)
    except IntegrityError as error:  # lost a race for the same address or handle
        raise ValidationError(
            _("That e-mail address or handle was just taken. Please try another."),
            code="taken",
        ) from error
    return user


def _check_invite(code: str) -> Invite:
    invite = Invite.objects.filter(code=code.strip()).first()
    if invite is None or not invite.is_usable():
        raise ValidationError(
            {"invite_code": _("This invitation is not valid or has been used up.")},
            code="invite_invalid",
        )
    return invite


def _consume_invite(invite: Invite) -> None:
    # Conditional update: two sign-ups racing for the last use cannot both win.
    usable = Q(max_uses__isnull=True) | Q(uses__lt=F("max_uses"))
    if not Invite.objects.filter(usable, pk=invite.pk).update(uses=F("uses") + 1):
        raise ValidationError(
            {"invite_code": _("This invitation is not valid or has been used up.")},
            code="invite_invalid",
        )


def _field_errors(registration: Registration) -> dict[str, list[str]]:
    """Collect every problem with the form at once, so the person fixes them in one go."""
    errors: dict[str, list[str]] = {}
    config = site_configuration()
    try:
        email = validate_signup_email(registration.email)
    except ValidationError as error:
        errors["email"] = error.messages
    else:
        if not email_domain_allowed(email, config.allowed_domains):
            errors["email"] = [
                _("This server only accepts addresses at %(domains)s.")
                % {"domains": ", ".join(config.allowed_domains)}
            ]
        elif User.objects.filter(email__iexact=email).exists():
            errors["email"] = [_("An account with this e-mail address already exists.")]
    try:
        handle_check_available(registration.handle.strip())
    except ValidationError as error:
        errors["handle"] = error.messages
    try:
        validate_password(registration.password, User(email=registration.email))
    except ValidationError as error:
        errors["password"] = error.messages
    return errors


@transaction.atomic
def account_register(registration: Registration, *, rules_accepted: bool = False) -> User:
    """Sign a person up under the server's joining rules.

    In approval mode the account waits for an administrator; in invitation mode a usable
    invite is required and consumed. A verification e-mail is queued (job) on commit.
    Raises PermissionDenied when sign-ups are closed, ValidationError (with a message per
    field) for bad input. Nothing is saved unless everything succeeds. `rules_accepted`:
    the person ticked "I accept the rules and terms" (the form asks when there are any),
    recorded as `rules_accepted_at`.
    """
    config = site_configuration()
    mode = config.registration_mode
    if mode == RegistrationMode.CLOSED:
        raise PermissionDenied(_("This server is not taking new sign-ups."))
    errors = _field_errors(registration)
    invite: Invite | None = None
    if mode == RegistrationMode.INVITATION:
        try:
            invite = _check_invite(registration.invite_code)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    user = account_create(
        email=validate_signup_email(registration.email),
        handle=registration.handle,
        password=registration.password,
        display_name=registration.display_name,
        verified=not config.require_email_verification,
        approval=ApprovalState.PENDING
        if mode == RegistrationMode.APPROVAL
        else ApprovalState.APPROVED,
    )
    if registration.reason:
        user.signup_reason = registration.reason[:1000]
        user.save(update_fields=["signup_reason"])
    if rules_accepted:  # ticked "I accept the rules and terms" (asked when there are any)
        user.rules_accepted_at = timezone.now()
        user.save(update_fields=["rules_accepted_at"])
    if invite is not None:
        _consume_invite(invite)
    if not user.is_email_verified:
        enqueue(verification_email_send_task, user_id=user.pk)
    return user


def verification_email_resend(*, user: User) -> None:
    """Queue a fresh verification e-mail; does nothing for a verified address."""
    if not user.is_email_verified:
        enqueue(verification_email_send_task, user_id=user.pk)


@transaction.atomic
def email_verify(*, token: str) -> User:
    """Mark the address in `token` verified.

    Raises Conflict for a link already used, PermissionDenied for an expired or forged one.
    """
    check = check_verification_token(token)
    if check.problem == "used":
        raise Conflict(_("This link has already been used. You can sign in."))
    if check.problem == "expired":
        raise PermissionDenied(_("This link has expired. Sign in to get a new one."))
    if check.user is None or check.problem is not None:
        raise PermissionDenied(_("This link is not valid. Check that you copied all of it."))
    user = User.objects.select_for_update().get(pk=check.user.pk)
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user


@transaction.atomic
def account_approve(*, user: User, actor: User) -> None:
    """An administrator lets a pending sign-up in; the person is told by e-mail (job)."""
    if not actor.is_staff:
        raise PermissionDenied(_("Only administrators approve sign-ups."))
    updated = User.objects.filter(pk=user.pk, approval=ApprovalState.PENDING).update(
        approval=ApprovalState.APPROVED
    )
    if updated:
        enqueue(approval_email_send_task, user_id=user.pk)


@transaction.atomic
def account_reject(*, user: User, actor: User) -> None:
    """An administrator turns down a pending sign-up; the account cannot sign in."""
    if not actor.is_staff:
        raise PermissionDenied(_("Only administrators reject sign-ups."))
    User.objects.filter(pk=user.pk, approval=ApprovalState.PENDING).update(
        approval=ApprovalState.REJECTED, is_active=False
    )


def credentials_changed(*, user: User) -> None:
    """After a password change or reset: every API token of `user` stops working.

    Other browser sessions end through Django's session hash (the password is part of it);
    API tokens do not depend on the password, so they are revoked here (SECURITY-PLAN A-5).
    """
    tokens_revoke_all(user=user)


@transaction.atomic
def user_sign_in_stop(*, user: User) -> None:
    """Refuse `user` sign-in from now on: deactivated (every browser session stops
    authenticating on its next request) and every API token revoked."""
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    tokens_revoke_all(user=user)


@transaction.atomic
def user_sign_in_restore(*, user: User) -> None:
    """Let `user` sign in again, if their sign-up was approved (old tokens stay revoked)."""
    if user.is_approved:
        User.objects.filter(pk=user.pk).update(is_active=True)
        user.is_active = True


@transaction.atomic
def user_role_set(*, user: User, role: str) -> bool:
    """Give a local account a staff role; administrators keep `is_staff` (approving
    sign-ups). The caller checks who may. False when the role was already `role`."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.role == role:
        return False
    locked.role = role
    locked.is_staff = role == StaffRole.ADMIN
    locked.save(update_fields=["role", "is_staff"])
    user.role, user.is_staff = locked.role, locked.is_staff
    return True


@transaction.atomic
def site_terms_set(*, terms: str) -> SiteConfiguration:
    """Replace the server's terms (Markdown, checked by the caller)."""
    config = SiteConfiguration.objects.select_for_update().get(pk=site_configuration().pk)
    config.terms = terms
    config.save(update_fields=["terms", "updated_at"])
    return config


def user_password_hash_copy(*, user: User, source: User) -> None:
    """Give `user` the password hash `source` has (demo accounts share the one published
    password; argon2 makes hashing it again for each account slow on purpose)."""
    hashed = User.objects.filter(pk=source.pk).values_list("password", flat=True).get()
    User.objects.filter(pk=user.pk).update(password=hashed)


def user_delete_deactivated(*, user_id: int) -> bool:
    """Delete the user row of a deactivated account; what is left of it (profile, terms,
    sessions) goes with it by cascade. Never deletes an active user. True if it went."""
    deleted, _detail = User.objects.filter(pk=user_id, is_active=False).delete()
    return bool(deleted)
