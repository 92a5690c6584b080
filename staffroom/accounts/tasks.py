"""Jobs for accounts: thin, idempotent wrappers that load by id and call one function."""

from __future__ import annotations

from staffroom.accounts import emails
from staffroom.accounts.models import User
from staffroom.core.jobs import job


@job(max_attempts=5)
def verification_email_send_task(*, user_id: int) -> None:
    user = User.objects.filter(pk=user_id).first()
    if user is None or user.is_email_verified:
        return  # nothing to confirm any more
    emails.send_verification_email(user)


@job(max_attempts=5)
def approval_email_send_task(*, user_id: int) -> None:
    user = User.objects.filter(pk=user_id, approval="approved").first()
    if user is not None:
        emails.send_approval_email(user)
