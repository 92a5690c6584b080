"""Moderation: rules and terms, reports, and the actions moderators take.

Every action checks the actor's role (`roles.py`), runs in one transaction with its entry in
the audit log (`ModerationAction`), and tells the people concerned by a background job
after commit: the person acted on gets the moderator's note, the reporter learns that the
report was handled (never what was done to whom, and the reported person never learns who
reported them).

What the actions do:
- remove a post: hidden from everyone, its author included, on every page, feed and API
  route (`posts.selectors` reads `removed_at`); its feed rows go; kept for an appeal and
  `status_restore`;
- mark a post sensitive: its media and text fold behind a warning;
- limit an account: left out of the public and hashtag timelines, the directory and
  suggestions; followers still see it;
- suspend an account: sign-in refused, tokens revoked, everything it wrote hidden; nothing
  deleted, so `account_unsuspend` restores it whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from staffroom.accounts.models import ApprovalState, SiteConfiguration, StaffRole, User
from staffroom.accounts.services import (
    account_approve,
    account_reject,
    site_terms_set,
    user_role_set,
    user_sign_in_restore,
    user_sign_in_stop,
)
from staffroom.core.events import ReportResolved, emit
from staffroom.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from staffroom.core.ids import id_or_not_found
from staffroom.core.jobs import enqueue
from staffroom.moderation import tasks
from staffroom.moderation.models import (
    NOTE_MAX_LENGTH,
    REPORT_COMMENT_MAX_LENGTH,
    REPORT_POSTS_MAX,
    RULE_HINT_MAX_LENGTH,
    RULE_TEXT_MAX_LENGTH,
    RULES_MAX,
    ActionKind,
    ModerationAction,
    Report,
    ReportCategory,
    ReportedPost,
    Rule,
)
from staffroom.moderation.roles import require_admin, require_moderator, require_outranks
from staffroom.posts import removal
from staffroom.posts.models import Status, Tag
from staffroom.posts.selectors import status_get_for_viewer
from staffroom.posts.tag_review import tag_review
from staffroom.profiles import standing
from staffroom.profiles.models import Profile
from staffroom.trends import services as trends
from staffroom.trends.models import Link, TrendKind

NOT_FOUND = "Record not found"
TERMS_MAX_LENGTH = 20_000


# --- Rules and terms (administrators) ---------------------------------------------------


def _rule_text(text: str, hint: str) -> tuple[str, str]:
    text, hint = (text or "").strip(), (hint or "").strip()
    if not text:
        raise ValidationFailed(_("Validation failed: a rule needs its text"))
    if len(text) > RULE_TEXT_MAX_LENGTH:
        raise ValidationFailed(
            _("Validation failed: a rule is at most %(count)d characters")
            % {"count": RULE_TEXT_MAX_LENGTH}
        )
    if len(hint) > RULE_HINT_MAX_LENGTH:
        raise ValidationFailed(
            _("Validation failed: an explanation is at most %(count)d characters")
            % {"count": RULE_HINT_MAX_LENGTH}
        )
    return text, hint


def live_rules() -> list[Rule]:
    """The rules in force, in their order."""
    return list(Rule.objects.filter(deleted_at__isnull=True))


def _live_rule(rule_id: object) -> Rule:
    rule = Rule.objects.filter(pk=id_or_not_found(rule_id), deleted_at__isnull=True).first()
    if rule is None:
        raise NotFound(NOT_FOUND)
    return rule


@transaction.atomic
def rule_create(*, actor: User, text: str, hint: str = "") -> Rule:
    """Add a rule at the end of the list (at most RULES_MAX in force)."""
    admin = require_admin(actor)
    text, hint = _rule_text(text, hint)
    if Rule.objects.filter(deleted_at__isnull=True).count() >= RULES_MAX:
        raise ValidationFailed(
            _("Validation failed: a server has at most %(count)d rules") % {"count": RULES_MAX}
        )
    last = Rule.objects.aggregate(last=Max("position"))["last"]
    rule = Rule.objects.create(text=text, hint=hint, position=(last or 0) + 1)
    _log(admin, ActionKind.RULE_CREATE, detail={"rule_id": rule.pk, "text": text, "hint": hint})
    return rule


@transaction.atomic
def rule_update(
    *, actor: User, rule_id: object, text: str, hint: str = "", position: int | None = None
) -> Rule:
    admin = require_admin(actor)
    rule = _live_rule(rule_id)
    before = {"text": rule.text, "hint": rule.hint, "position": rule.position}
    rule.text, rule.hint = _rule_text(text, hint)
    if position is not None:
        if position < 0:
            raise ValidationFailed(_("Validation failed: a position is 0 or more"))
        rule.position = position
    rule.save(update_fields=["text", "hint", "position", "updated_at"])
    after = {"text": rule.text, "hint": rule.hint, "position": rule.position}
    _log(admin, ActionKind.RULE_UPDATE, detail={"rule_id": rule.pk, "from": before, "to": after})
    return rule


@transaction.atomic
def rule_delete(*, actor: User, rule_id: object) -> None:
    """Take a rule down; reports that cite it keep it (shown as taken down)."""
    admin = require_admin(actor)
    rule = _live_rule(rule_id)
    rule.deleted_at = timezone.now()
    rule.save(update_fields=["deleted_at", "updated_at"])
    _log(admin, ActionKind.RULE_DELETE, detail={"rule_id": rule.pk, "text": rule.text})


@transaction.atomic
def terms_update(*, actor: User, terms: str) -> SiteConfiguration:
    """The server's terms (Markdown), shown at sign-up and on /about."""
    admin = require_admin(actor)
    terms = (terms or "").strip()
    if len(terms) > TERMS_MAX_LENGTH:
        raise ValidationFailed(
            _("Validation failed: the terms are at most %(count)d characters")
            % {"count": TERMS_MAX_LENGTH}
        )
    config = site_terms_set(terms=terms)
    _log(admin, ActionKind.TERMS_UPDATE, detail={"length": len(terms)})
    return config


# --- Reports (anyone signed in) -------------------------------------------------------


def _ids(values: Sequence[object], *, most: int, what: str) -> list[int]:
    if len(values) > most:
        raise ValidationFailed(
            _("Validation failed: a report holds at most %(count)d %(what)s")
            % {"count": most, "what": what}
        )
    return list(dict.fromkeys(id_or_not_found(value) for value in values))


def _category(category: str, rule_ids: list[int]) -> str:
    if not category:
        return ReportCategory.VIOLATION if rule_ids else ReportCategory.OTHER
    if category not in ReportCategory.values:
        raise ValidationFailed(
            _("Validation failed: the category is one of %(names)s")
            % {"names": ", ".join(ReportCategory.values)}
        )
    return category


@transaction.atomic
def report_create(
    *,
    reporter: Profile,
    target_id: object,
    status_ids: Sequence[object] = (),
    rule_ids: Sequence[object] = (),
    category: str = "",
    comment: str = "",
    forward: bool = False,
) -> Report:
    """Report an account and, optionally, some of its posts the reporter can see (each kept
    as it is now). An unknown account, or a post the reporter cannot see or that is not the
    account's, is a 404 like any other unknown id; reporting yourself, too many posts, an
    unknown rule or category, or a comment too long is a 422. Nothing is written then."""
    target = Profile.objects.filter(pk=id_or_not_found(target_id)).first()
    if target is None:
        raise NotFound(NOT_FOUND)
    if target.pk == reporter.pk:
        raise ValidationFailed(_("Validation failed: you cannot report yourself"))
    wanted_posts = _ids(status_ids, most=REPORT_POSTS_MAX, what=_("posts"))
    wanted_rules = _ids(rule_ids, most=RULES_MAX, what=_("rules"))
    comment = (comment or "").strip()
    if len(comment) > REPORT_COMMENT_MAX_LENGTH:
        raise ValidationFailed(
            _("Validation failed: a comment is at most %(count)d characters")
            % {"count": REPORT_COMMENT_MAX_LENGTH}
        )
    chosen_category = _category(category, wanted_rules)
    rules = list(Rule.objects.filter(pk__in=wanted_rules, deleted_at__isnull=True))
    if len(rules) != len(wanted_rules):
        raise ValidationFailed(_("Validation failed: a rule chosen is not one of this server's"))
    posts = [status_get_for_viewer(pk, reporter) for pk in wanted_posts]
    if any(post.account_id != target.pk for post in posts):
        raise NotFound(NOT_FOUND)
    report = Report.objects.create(
        reporter=reporter,
        target=target,
        target_handle=target.acct,
        category=chosen_category,
        comment=comment,
        forwarded=bool(forward) and not target.is_local,
    )
    report.rules.set(rules)
    ReportedPost.objects.bulk_create(
        [
            ReportedPost(
                report=report,
                status=post,
                original_id=post.pk,
                content=post.content,
                spoiler_text=post.spoiler_text,
                sensitive=post.sensitive,
                visibility=post.visibility,
                posted_at=post.created_at,
                edited_at=post.edited_at,
            )
            for post in posts
        ]
    )
    return report


def _open_report(report_id: object | None) -> Report | None:
    if report_id is None or report_id == "":
        return None
    report = Report.objects.filter(pk=id_or_not_found(report_id)).first()
    if report is None:
        raise NotFound(NOT_FOUND)
    return report


def _resolve(report: Report | None, actor: User, *, action_taken: bool) -> None:
    """Close the report (if open). The reporter hears of it through the notification
    `pln.report_resolved` (ReportResolved), e-mailed only in the digest of a teacher who
    opted into that kind: no e-mail of its own."""
    if report is None or report.resolved_at is not None:
        return
    report.resolved_at = timezone.now()
    report.resolved_by = actor.profile
    report.action_taken = action_taken
    report.save(update_fields=["resolved_at", "resolved_by", "action_taken"])
    emit(ReportResolved(report_id=report.pk, reporter_id=report.reporter_id))


def _require_may_handle(moderator: User, report: Report) -> None:
    """A report about a moderator or an administrator is handled by someone above them,
    never by the person reported."""
    target = report.target
    if target is not None and target.user_id is not None:
        require_outranks(moderator, User.objects.get(pk=target.user_id))


@transaction.atomic
def report_dismiss(*, actor: User, report_id: object, note: str = "") -> Report:
    """Close a report with no action. The reporter is told it was looked at."""
    moderator = require_moderator(actor)
    report = _open_report(report_id)
    assert report is not None  # noqa: S101 - an id was given
    _require_may_handle(moderator, report)
    if report.resolved_at is not None:
        return report
    _resolve(report, moderator, action_taken=False)
    _log(moderator, ActionKind.REPORT_DISMISS, account=report.target, report=report, note=note)
    return report


@transaction.atomic
def report_reopen(*, actor: User, report_id: object, note: str = "") -> Report:
    moderator = require_moderator(actor)
    report = _open_report(report_id)
    assert report is not None  # noqa: S101 - an id was given
    _require_may_handle(moderator, report)
    if report.resolved_at is None:
        return report
    Report.objects.filter(pk=report.pk).update(
        resolved_at=None, resolved_by=None, action_taken=False
    )
    report.refresh_from_db()
    _log(moderator, ActionKind.REPORT_REOPEN, account=report.target, report=report, note=note)
    return report


# --- Actions on posts ------------------------------------------------------------------


def _status_for_moderation(status_id: object) -> Status:
    status = (
        Status.objects.select_related("account__user")
        .filter(pk=id_or_not_found(status_id), reblog_of__isnull=True)
        .first()
    )
    if status is None:
        raise NotFound(NOT_FOUND)
    return status


def _snapshot(status: Status) -> dict[str, Any]:
    return {
        "content": status.content,
        "spoiler_text": status.spoiler_text,
        "visibility": status.visibility,
        "created_at": status.created_at.isoformat(),
    }


@transaction.atomic
def status_remove(
    *, actor: User, status_id: object, note: str = "", report_id: object | None = None
) -> Status:
    """Hide a post from everyone (kept for an appeal); its reshares go with it
    (`posts.removal.status_remove`)."""
    moderator = require_moderator(actor)
    status = _status_for_moderation(status_id)
    require_outranks(moderator, status.account.user)
    report = _open_report(report_id)
    removal.status_remove(status=status)
    _resolve(report, moderator, action_taken=True)
    _log(
        moderator,
        ActionKind.STATUS_REMOVE,
        account=status.account,
        status=status,
        report=report,
        note=note,
        detail={"post": _snapshot(status)},
    )
    return status


@transaction.atomic
def status_restore(*, actor: User, status_id: object, note: str = "") -> Status:
    """Bring a removed post back where it was; the feeds get it again by fan-out
    (`posts.removal.status_restore`)."""
    moderator = require_moderator(actor)
    status = _status_for_moderation(status_id)
    require_outranks(moderator, status.account.user)
    removal.status_restore(status=status)
    _log(moderator, ActionKind.STATUS_RESTORE, account=status.account, status=status, note=note)
    return status


@transaction.atomic
def status_mark_sensitive(
    *, actor: User, status_id: object, note: str = "", report_id: object | None = None
) -> Status:
    moderator = require_moderator(actor)
    status = _status_for_moderation(status_id)
    require_outranks(moderator, status.account.user)
    report = _open_report(report_id)
    removal.status_mark_sensitive(status=status)
    _resolve(report, moderator, action_taken=True)
    _log(
        moderator,
        ActionKind.STATUS_SENSITIVE,
        account=status.account,
        status=status,
        report=report,
        note=note,
    )
    return status


# --- Actions on accounts ---------------------------------------------------------------


def _account_for_moderation(account_id: object) -> Profile:
    profile = Profile.objects.select_related("user").filter(pk=id_or_not_found(account_id)).first()
    if profile is None:
        raise NotFound(NOT_FOUND)
    return profile


def _pending_sign_up(actor: User, account_id: object) -> tuple[User, User]:
    moderator = require_moderator(actor)
    profile = _account_for_moderation(account_id)
    user = profile.user
    if user is None or user.approval != ApprovalState.PENDING:
        raise PermissionDenied(_("This account is not waiting for approval."))
    return moderator, user


@transaction.atomic
def sign_up_approve(*, actor: User, account_id: object) -> Profile:
    """Let a pending sign-up in, as the web approval does (`accounts.services.
    account_approve`: administrators only, the person is e-mailed). PermissionDenied (403,
    as Mastodon) for an account that is not pending."""
    moderator, user = _pending_sign_up(actor, account_id)
    account_approve(user=user, actor=moderator)
    return _account_for_moderation(account_id)


@transaction.atomic
def sign_up_reject(*, actor: User, account_id: object) -> Profile:
    """Turn a pending sign-up down (administrators only): the account cannot sign in.
    PermissionDenied for an account that is not pending."""
    moderator, user = _pending_sign_up(actor, account_id)
    account_reject(user=user, actor=moderator)
    return _account_for_moderation(account_id)


@transaction.atomic
def account_limit(
    *, actor: User, account_id: object, note: str = "", report_id: object | None = None
) -> Profile:
    """Leave the account out of public and hashtag timelines, the directory and
    suggestions; its followers still see it."""
    moderator = require_moderator(actor)
    profile = _account_for_moderation(account_id)
    require_outranks(moderator, profile.user)
    report = _open_report(report_id)
    standing.profile_limit(profile=profile)
    _resolve(report, moderator, action_taken=True)
    _log(moderator, ActionKind.ACCOUNT_LIMIT, account=profile, report=report, note=note)
    return profile


@transaction.atomic
def account_unlimit(*, actor: User, account_id: object, note: str = "") -> Profile:
    moderator = require_moderator(actor)
    profile = _account_for_moderation(account_id)
    require_outranks(moderator, profile.user)
    standing.profile_unlimit(profile=profile)
    _log(moderator, ActionKind.ACCOUNT_UNLIMIT, account=profile, note=note)
    return profile


@transaction.atomic
def account_suspend(
    *, actor: User, account_id: object, note: str = "", report_id: object | None = None
) -> Profile:
    """Refuse sign-in, revoke every token, hide everything the account wrote. Nothing is
    deleted (SECURITY-PLAN A-5: the next API call with a token is a 401, and a browser
    session ends on its next request, since the user is no longer active)."""
    moderator = require_moderator(actor)
    profile = _account_for_moderation(account_id)
    require_outranks(moderator, profile.user)
    report = _open_report(report_id)
    if standing.profile_suspend(profile=profile) and profile.user is not None:
        user_sign_in_stop(user=profile.user)
    _resolve(report, moderator, action_taken=True)
    _log(moderator, ActionKind.ACCOUNT_SUSPEND, account=profile, report=report, note=note)
    return profile


@transaction.atomic
def account_unsuspend(*, actor: User, account_id: object, note: str = "") -> Profile:
    """Let the account back in as it was (sign-in, posts, follows); its old tokens stay
    revoked."""
    moderator = require_moderator(actor)
    profile = _account_for_moderation(account_id)
    require_outranks(moderator, profile.user)
    if profile.suspended_at is not None and profile.user is not None:
        # Sign-in first: the account is in good standing again when AccountUnsuspended's
        # subscribers run (the posts it answered, reshared or liked count it again).
        user_sign_in_restore(user=profile.user)
    standing.profile_unsuspend(profile=profile)
    _log(moderator, ActionKind.ACCOUNT_UNSUSPEND, account=profile, note=note)
    return profile


# --- Roles (administrators) ------------------------------------------------------------


@transaction.atomic
def role_set(*, actor: User, account_id: object, role: str) -> User:
    """Make a local account a member, moderator or administrator. Administrators keep
    `is_staff` (approving sign-ups); the owner's role is not changed here."""
    admin = require_admin(actor)
    if role not in StaffRole.values:
        raise ValidationFailed(
            _("Validation failed: the role is one of %(names)s")
            % {"names": ", ".join(StaffRole.values)}
        )
    profile = _account_for_moderation(account_id)
    if profile.user is None:
        raise ValidationFailed(_("Validation failed: only accounts on this server have roles"))
    user = User.objects.select_for_update().get(pk=profile.user.pk)
    require_outranks(admin, user)
    before = user.role
    if user_role_set(user=user, role=role):
        _log(
            admin,
            ActionKind.ROLE_CHANGE,
            account=profile,
            detail={"from": before, "to": role},
        )
    return user


# --- Trends ---------------------------------------------------------------------------------

TREND_DECISIONS = ("approve", "reject", "approve-author")


@transaction.atomic
def trend_review(*, actor: User, kind: str, item_id: object, decision: str) -> None:
    """A moderator lets a hashtag, link or post trend (`approve`), keeps it out for good
    (`reject`), or, for a post, lets every post of its author trend (`approve-author`).
    Logged in the audit log. Raises PermissionDenied (not a moderator), NotFound (no such
    item) and ValidationFailed (an unknown kind or decision)."""
    require_moderator(actor)
    if decision not in TREND_DECISIONS or kind not in TrendKind.values:
        raise ValidationFailed(_("Validation failed: unknown trend review"))
    if decision == "approve-author" and kind != TrendKind.STATUS:
        raise ValidationFailed(_("Validation failed: only a post's author can be approved"))
    pk = id_or_not_found(item_id)
    allowed = decision != "reject"
    kind_logged = ActionKind.TREND_APPROVE if allowed else ActionKind.TREND_REJECT
    if kind == TrendKind.TAG:
        tag = Tag.objects.filter(pk=pk).first()
        if tag is None:
            raise NotFound(NOT_FOUND)
        tag_review(tag, trendable=allowed, moderator=actor)
        _log(actor, kind_logged, detail={"tag": tag.name})
    elif kind == TrendKind.LINK:
        link = Link.objects.filter(pk=pk).first()
        if link is None:
            raise NotFound(NOT_FOUND)
        trends.link_review(link, trendable=allowed)
        _log(actor, kind_logged, detail={"link": link.url})
    else:
        status = Status.objects.select_related("account").filter(pk=pk).first()
        if status is None:
            raise NotFound(NOT_FOUND)
        trends.status_review(status, trendable=allowed)
        if decision == "approve-author":
            trends.author_review(status.account, trendable=True)
            kind_logged = ActionKind.TREND_AUTHOR_APPROVE
        _log(actor, kind_logged, account=status.account, status=status)


# --- The audit log ---------------------------------------------------------------------


def _log(
    actor: User,
    kind: str,
    *,
    account: Profile | None = None,
    status: Status | None = None,
    report: Report | None = None,
    note: str = "",
    detail: dict[str, Any] | None = None,
) -> ModerationAction:
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationFailed(
            _("Validation failed: a note is at most %(count)d characters")
            % {"count": NOTE_MAX_LENGTH}
        )
    actor_profile = getattr(actor, "profile", None)
    action = ModerationAction.objects.create(
        actor=actor_profile,
        actor_handle=actor_profile.handle if actor_profile is not None else actor.email,
        kind=kind,
        target_account=account,
        target_handle=account.acct if account is not None else "",
        target_status_id=status.pk if status is not None else None,
        report=report,
        note=note,
        detail=detail or {},
    )
    if account is not None and account.user_id is not None and kind in tasks.NOTICE_KINDS:
        enqueue(tasks.tell_account, action_id=action.pk)
    return action
