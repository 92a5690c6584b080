"""Telling people about moderation, after the action has committed: the person acted on
gets the moderator's note by e-mail (and on /settings/moderation). That e-mail is sent
whatever the teacher's e-mail preferences: it is about their own account, and a suspended
person, who can no longer sign in, has no other way to learn why (docs/subsystems/
notifications.md lists the e-mails that are always sent). It never names who reported them.
The reporter learns that their report was handled from a notification, not from here."""

from __future__ import annotations

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from staffroom.core.jobs import job
from staffroom.moderation.models import NOTICE_KINDS, ActionKind, ModerationAction
from staffroom.profiles.uris import instance_base_url

__all__ = ["NOTICE_KINDS", "tell_account", "tell_reporter"]


@job(max_attempts=5)
def tell_account(*, action_id: int) -> None:
    """E-mail the person acted on: what happened and the moderator's note. A suspended
    person can no longer sign in, so this is how they learn why."""
    action = (
        ModerationAction.objects.select_related("target_account__user").filter(pk=action_id).first()
    )
    if action is None or action.target_account is None or action.target_account.user is None:
        return
    user = action.target_account.user
    with translation.override(None):
        context = {
            "handle": action.target_account.handle,
            "what": ActionKind(action.kind).label,
            "note": action.note,
            "post": action.detail.get("post"),
            "notices_url": instance_base_url() + reverse("moderation:my-notices"),
            "suspended": action.kind == ActionKind.ACCOUNT_SUSPEND,
        }
        send_mail(
            subject=_("A moderator of Staffroom acted on your account"),
            message=render_to_string("moderation/email/account_notice.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )


@job(max_attempts=5)
def tell_reporter(*, report_id: int) -> None:
    """Sends nothing. The reporter hears that their report was handled through the
    notification `pln.report_resolved`, e-mailed only to a teacher who opted into that kind
    (notifications/email.py). Kept so a job queued before that change finishes quietly."""
