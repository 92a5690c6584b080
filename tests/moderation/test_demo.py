"""The demo's moderation: rules, terms and a moderator; open reports that are real (made by
the service, never across a block or about a post the reporter cannot see); one report
handled with a limit the audit log records; the same seed gives the same reports, and the
part can run again without making anything twice."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db.models import Q

from staffroom.accounts.models import StaffRole, User
from staffroom.accounts.selectors import site_configuration
from staffroom.core.demo import DemoContext, build_demo
from staffroom.graph.models import Block
from staffroom.moderation.demo import MODERATOR_HANDLE, RULES, demo_moderation
from staffroom.moderation.models import ActionKind, ModerationAction, Report, ReportedPost, Rule
from staffroom.posts.models import Status
from staffroom.posts.selectors import visible_statuses
from staffroom.profiles.models import Profile
from tests.conftest import Shared, built_once

USERS = 60


def _quiet(_line: str) -> None:
    """The demo's progress lines are not wanted in test output."""


def _reports_snapshot() -> list[tuple[object, ...]]:
    return sorted(
        Report.objects.values_list(
            "reporter__handle",
            "target__handle",
            "category",
            "comment",
            "action_taken",
            "posts__content",
        )
    )


@pytest.mark.django_db
def test_demo_reports_are_the_same_for_the_same_seed():
    build_demo(users=30, seed=9, log=_quiet)
    first = _reports_snapshot()
    User.objects.all().delete()
    Report.objects.all().delete()  # reports outlive the accounts they are about (D-4)
    Rule.objects.all().delete()
    build_demo(users=30, seed=9, log=_quiet)
    assert len(first) >= 3
    assert _reports_snapshot() == first


# The tests below share one community, built once for them all (what a test writes is
# rolled back); it stays until the module's last test, so a test that builds its own must
# come before them.


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker) -> Iterator[Shared[DemoContext]]:
    yield from built_once(django_db_blocker, lambda: build_demo(users=USERS, seed=5, log=_quiet))


@pytest.fixture
def community(built: Shared[DemoContext], db) -> DemoContext:
    return built.for_test()


def _counts() -> dict[str, int]:
    return {
        "rules": Rule.objects.count(),
        "reports": Report.objects.count(),
        "reported_posts": ReportedPost.objects.count(),
        "actions": ModerationAction.objects.count(),
        "users": User.objects.count(),
    }


def test_demo_moderation_has_rules_terms_and_a_moderator_to_sign_in_as(community, client):
    assert [rule.text for rule in Rule.objects.filter(deleted_at__isnull=True)] == [
        text for text, _hint in RULES
    ]
    assert all(rule.hint for rule in Rule.objects.all())
    assert "professional learning network" in site_configuration().terms
    moderator = User.objects.get(profile__handle=MODERATOR_HANDLE)
    assert moderator.role == StaffRole.MODERATOR
    assert not moderator.is_staff
    response = client.post(
        "/accounts/login", {"username": MODERATOR_HANDLE, "password": "staffroom-demo"}
    )
    assert response.status_code == 302
    made_one = ModerationAction.objects.get(kind=ActionKind.ROLE_CHANGE)
    assert made_one.target_account == moderator.profile
    assert made_one.detail == {"from": StaffRole.MEMBER, "to": StaffRole.MODERATOR}
    assert ModerationAction.objects.filter(kind=ActionKind.RULE_CREATE).count() == len(RULES)


def test_demo_open_reports_are_real_snapshots_of_posts_the_reporter_can_see(community):
    opened = list(
        Report.objects.filter(resolved_at__isnull=True).prefetch_related("posts", "rules")
    )
    assert 3 <= len(opened) <= 4
    assert Report.objects.filter(reporter__handle="demo").exists()
    assert len({report.target_id for report in opened}) == len(opened)
    for report in opened:
        assert report.reporter is not None
        assert report.reporter_id != report.target_id
        assert report.comment
        posts = list(report.posts.all())
        assert len(posts) == 1
        snapshot = posts[0]
        status = Status.objects.get(pk=snapshot.original_id)
        assert status.account_id == report.target_id
        assert (snapshot.content, snapshot.visibility) == (status.content, status.visibility)
        assert snapshot.posted_at == status.created_at
        assert visible_statuses(report.reporter).filter(pk=status.pk).exists()
    cited = {rule.text for report in opened for rule in report.rules.all()}
    assert cited <= {text for text, _hint in RULES}
    assert cited


def test_demo_reports_never_cross_a_block(community):
    pairs = {frozenset(pair) for pair in Report.objects.values_list("reporter_id", "target_id")}
    assert pairs
    reporters = [next(iter(pair)) for pair in pairs]
    blocks = Block.objects.filter(Q(blocker_id__in=reporters) | Q(blocked_id__in=reporters))
    assert not pairs & {frozenset(pair) for pair in blocks.values_list("blocker_id", "blocked_id")}
    assert Block.objects.exists()  # there were blocks to avoid


def test_demo_handled_report_limited_an_account_with_a_note_in_the_audit_log(community):
    handled = Report.objects.get(resolved_at__isnull=False)
    moderator = Profile.objects.get(handle=MODERATOR_HANDLE)
    assert handled.action_taken
    assert handled.resolved_by == moderator
    target = Profile.objects.get(pk=handled.target_id)
    assert target.limited_at is not None
    assert target.user is not None
    assert target.user.role == StaffRole.MEMBER
    action = ModerationAction.objects.get(kind=ActionKind.ACCOUNT_LIMIT)
    assert (action.actor, action.target_account, action.report) == (moderator, target, handled)
    assert "advertising" in action.note
    # Nobody else was limited or suspended, and neither staff account was reported.
    assert list(Profile.objects.filter(limited_at__isnull=False)) == [target]
    assert not Profile.objects.filter(suspended_at__isnull=False).exists()
    staff = Report.objects.filter(target__handle__in=["demo", "demo_admin", MODERATOR_HANDLE])
    assert not staff.exists()


def test_demo_moderation_part_runs_again_without_making_anything_twice(community):
    before = _counts()
    demo_moderation(community)
    assert _counts() == before
    assert User.objects.filter(profile__handle=MODERATOR_HANDLE).count() == 1
