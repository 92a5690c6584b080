"""`POST /api/v1/reports`: a teacher reports an account and, optionally, some of its posts.

Everything is decided by `services.report_create`: an unknown account or a post the reporter
cannot see is a 404 like any unknown id; reporting yourself, more than 20 posts, an unknown
rule or category, or a comment over 1,000 characters is a 422, and nothing is written."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from staffroom.core.api.auth import TokenAuth
from staffroom.moderation import services
from staffroom.moderation.api.entities import ReportEntity, report_entity
from staffroom.moderation.api.schemas import Report, ReportIn
from staffroom.profiles.selectors import own_profile

router = Router(tags=["reports"])


@router.post(
    "",
    response=Report,
    auth=TokenAuth("write:reports"),
    exclude_unset=True,
    summary="Report an account and some of its posts to the moderators",
)
def report_post(request: HttpRequest, payload: ReportIn) -> ReportEntity:
    """The person reported is never told who reported them. `forward` only matters for
    accounts on other servers (not yet federated: stored, nothing is sent)."""
    report = services.report_create(
        reporter=own_profile(request),
        target_id=payload.account_id,
        status_ids=payload.status_ids,
        rule_ids=payload.rule_ids,
        category=payload.category or "",
        comment=payload.comment or "",
        forward=payload.forward,
    )
    return report_entity(report, request)
