"""The moderation export part: what the teacher may read of moderation about themselves.

`moderation.json` holds the same two things the teacher sees on /settings/reports and
/settings/moderation (SECURITY-PLAN P-8), and nothing more:
- `reports_filed`: the reports they filed, with the account reported, the category, the
  rules cited, their comment, when, and whether it is `open` or `handled`; never what was
  done about it, nor who handled it;
- `notices`: what moderators did to their account and posts (`NOTICE_KINDS`), with the
  moderator's note, the date and the post as it was when removed; never the moderator,
  and never the report behind it (so never who reported them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from staffroom.graph.exports import address_of
from staffroom.leaving.export import ExportWriter, export_part
from staffroom.moderation.models import NOTICE_KINDS, ModerationAction, Report
from staffroom.moderation.selectors import reports_filed_by_queryset
from staffroom.posts.models import Status
from staffroom.profiles.models import Profile

if TYPE_CHECKING:
    from staffroom.accounts.models import User

CHUNK = 500


def _reports_filed(profile: Profile) -> list[dict[str, Any]]:
    reports = reports_filed_by_queryset(profile).prefetch_related("rules").order_by("id")
    return [_report(report) for report in reports.iterator(chunk_size=CHUNK)]


def _report(report: Report) -> dict[str, Any]:
    return {
        "id": str(report.pk),
        "target_account": address_of(report.target) if report.target else report.target_handle,
        "category": report.category,
        "rules": [rule.text for rule in report.rules.all()],
        "comment": report.comment,
        "created_at": report.created_at,
        # Handled or not, never how: a dismissal and an action read the same.
        "state": "open" if report.is_open else "handled",
    }


def _notices(profile: Profile) -> QuerySet[ModerationAction]:
    """Every notice about the teacher, oldest first (`selectors.notices_for` pages the
    same rows newest first for the screens)."""
    return ModerationAction.objects.filter(target_account=profile, kind__in=NOTICE_KINDS).order_by(
        "id"
    )


def _post(action: ModerationAction, profile: Profile) -> dict[str, Any] | None:
    """The post acted on: as it was when removed (kept in the log), else as it is now if it
    is still theirs; None for an action on the account."""
    snapshot = action.detail.get("post")
    if snapshot:
        return {"id": str(action.target_status_id), **snapshot}
    if action.target_status_id is None:
        return None
    status = Status.objects.filter(pk=action.target_status_id, account=profile).first()
    if status is None:
        return {"id": str(action.target_status_id)}
    return {
        "id": str(status.pk),
        "content": status.content,
        "spoiler_text": status.spoiler_text,
        "visibility": status.visibility,
        "created_at": status.created_at,
    }


def _notice(action: ModerationAction, profile: Profile) -> dict[str, Any]:
    return {
        "id": str(action.pk),
        "kind": action.kind,
        "note": action.note,
        "created_at": action.created_at,
        "post": _post(action, profile),
    }


@export_part(name="moderation", version=1, order=300)
def moderation_export(user: User, writer: ExportWriter) -> None:
    """`moderation.json`: `reports_filed` and `notices`, oldest first (see the module
    docstring for what each holds and leaves out)."""
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return
    notices = [_notice(action, profile) for action in _notices(profile).iterator(CHUNK)]
    writer.write_json(
        "moderation.json", {"reports_filed": _reports_filed(profile), "notices": notices}
    )
