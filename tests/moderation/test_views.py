"""The moderation pages through the views: who may open which page, the report flow from a
teacher's report to a removed post and the notices it leaves, bad input refused with the
form kept and nothing written, and CSRF on every action."""

from __future__ import annotations

import pytest
from django.test import Client

from staffroom.accounts.models import StaffRole, User
from staffroom.moderation import services
from staffroom.moderation.models import (
    REPORT_POSTS_MAX,
    ActionKind,
    ModerationAction,
    Report,
    Rule,
)
from staffroom.posts.models import Status
from staffroom.posts.services import status_delete

pytestmark = pytest.mark.django_db

BACKEND = "staffroom.accounts.backends.EmailOrHandleBackend"


def _client(user: User, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user, backend=BACKEND)
    return client


@pytest.fixture
def rules(admin) -> list[Rule]:
    return [
        services.rule_create(actor=admin, text="Be kind to colleagues", hint="No insults."),
        services.rule_create(actor=admin, text="No advertising"),
        services.rule_create(actor=admin, text="Protect pupils' privacy"),
    ]


@pytest.fixture
def report(ada, bo, post, rules) -> Report:
    spam = post(bo, "Buy my worksheets at a discount!")
    return services.report_create(
        reporter=ada,
        target_id=bo.pk,
        status_ids=[spam.pk],
        rule_ids=[rules[1].pk],
        comment="Third advert this week.",
    )


MODERATOR_PAGES = ["/moderation", "/moderation?tab=resolved"]
ADMIN_PAGES = ["/moderation/audit", "/moderation/rules", "/moderation/roles"]


# --- Who may open what ------------------------------------------------------------------


@pytest.mark.parametrize("url", [*MODERATOR_PAGES, *ADMIN_PAGES, "/reports/new?account=1"])
def test_signed_out_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/login" in response["Location"]


@pytest.mark.parametrize("url", [*MODERATOR_PAGES, *ADMIN_PAGES])
def test_teachers_get_a_clear_403_on_moderation_pages(ada, url):
    response = _client(ada.user).get(url)
    assert response.status_code == 403
    assert "may open this page" in response.content.decode()


def test_a_teacher_gets_403_on_a_report_and_an_account_page(ada, report):
    """SECURITY-PLAN P-8."""
    client = _client(ada.user)
    assert client.get(f"/moderation/reports/{report.pk}").status_code == 403
    assert client.get(f"/moderation/accounts/{report.target_id}").status_code == 403
    assert client.post(f"/moderation/reports/{report.pk}/dismiss").status_code == 403
    assert Report.objects.get(pk=report.pk).is_open


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_moderators_get_403_on_administrators_pages(moderator, url):
    assert _client(moderator).get(url).status_code == 403


def test_moderators_open_the_queue_report_and_account_pages(moderator, report):
    client = _client(moderator)
    queue = client.get("/moderation")
    assert queue.status_code == 200
    assert "Report on @bo" in queue.content.decode()
    page = client.get(f"/moderation/reports/{report.pk}")
    body = page.content.decode()
    assert page.status_code == 200
    assert "@ada" in body  # moderators see the reporter
    assert "Buy my worksheets" in body
    assert "No advertising" in body
    assert "Third advert this week." in body
    account = client.get(f"/moderation/accounts/{report.target_id}")
    assert account.status_code == 200
    assert "In good standing" in account.content.decode()


@pytest.mark.parametrize("url", [*MODERATOR_PAGES, *ADMIN_PAGES])
def test_administrators_open_every_moderation_page(admin, report, url):
    assert _client(admin).get(url).status_code == 200


def test_an_unknown_report_or_account_is_a_404(moderator):
    client = _client(moderator)
    assert client.get("/moderation/reports/12345").status_code == 404
    assert client.get("/moderation/reports/not-a-number").status_code == 404
    assert client.get("/moderation/accounts/12345").status_code == 404
    assert client.post("/moderation/reports/12345/dismiss").status_code == 404


def test_the_header_shows_moderators_the_open_reports(moderator, ada, report):
    assert "Moderation (1 open)" in _client(moderator).get("/about").content.decode()
    assert "Moderation (" not in _client(ada.user).get("/about").content.decode()


def test_the_queue_has_an_empty_state(moderator):
    body = _client(moderator).get("/moderation").content.decode()
    assert "No open reports" in body


def test_the_queue_pages_keep_the_resolved_tab(moderator, ada, bo, rules):
    for number in range(21):
        handled = services.report_create(reporter=ada, target_id=bo.pk, comment=f"r{number}")
        services.report_dismiss(actor=moderator, report_id=handled.pk)
    body = _client(moderator).get("/moderation?tab=resolved").content.decode()
    assert "tab=resolved" in body.split('rel="next"')[0].rsplit("href=", 1)[1]


# --- /about and sign-up -----------------------------------------------------------------


def test_about_lists_the_rules_and_renders_the_terms_safely(client, admin, rules):
    services.terms_update(actor=admin, terms="**Be nice.** <script>alert(1)</script>")
    body = client.get("/about").content.decode()
    assert "Be kind to colleagues" in body
    assert "No insults." in body
    assert "<strong>Be nice.</strong>" in body
    assert "<script>alert" not in body
    assert "Report" in body


def test_about_says_when_there_are_no_rules(client, db):
    assert "not written down any rules" in client.get("/about").content.decode()


SIGNUP = {
    "email": "dee@school.example",
    "handle": "dee",
    "display_name": "Dee",
    "password": "a long passphrase for dee",
}


def test_sign_up_without_rules_or_terms_asks_nothing(client, db):
    assert "I accept the rules" not in client.get("/accounts/signup").content.decode()
    client.post("/accounts/signup", SIGNUP)
    user = User.objects.get(email="dee@school.example")
    assert user.rules_accepted_at is None


def test_sign_up_with_rules_needs_acceptance_and_keeps_what_was_typed(client, rules):
    page = client.get("/accounts/signup").content.decode()
    assert "Protect pupils&#x27; privacy" in page
    assert "I accept the rules and terms" in page
    refused = client.post("/accounts/signup", SIGNUP)
    assert refused.status_code == 422
    body = refused.content.decode()
    assert "tick the box" in body
    assert 'value="dee@school.example"' in body
    assert not User.objects.filter(email="dee@school.example").exists()
    client.post("/accounts/signup", {**SIGNUP, "rules_accepted": "on"})
    assert User.objects.get(email="dee@school.example").rules_accepted_at is not None


# --- The report form --------------------------------------------------------------------


def test_the_report_form_lists_recent_posts_with_the_given_one_ticked(ada, bo, post, rules):
    older = post(bo, "An older post")
    spam = post(bo, "Buy my worksheets")
    body = _client(ada.user).get(f"/reports/new?account={bo.pk}&status={spam.pk}").content.decode()
    assert "An older post" in body
    assert "Buy my worksheets" in body
    assert f'value="{spam.pk}"' in body
    checked = body.split(f'value="{spam.pk}"')[1].split(">")[0]
    assert "checked" in checked
    assert "checked" not in body.split(f'value="{older.pk}"')[1].split(">")[0]
    assert "No advertising" in body


def test_the_report_form_leaves_out_posts_the_reporter_cannot_see(ada, bo, post):
    post(bo, "Followers only thoughts", visibility="followers")
    body = _client(ada.user).get(f"/reports/new?account={bo.pk}").content.decode()
    assert "Followers only thoughts" not in body


def test_reporting_an_unknown_account_is_a_404(ada):
    client = _client(ada.user)
    assert client.get("/reports/new?account=999999").status_code == 404
    assert client.get("/reports/new").status_code == 404


def test_a_report_is_sent_and_thanked(ada, bo, post, rules):
    spam = post(bo, "Buy my worksheets")
    response = _client(ada.user).post(
        f"/reports/new?account={bo.pk}&status={spam.pk}",
        {"statuses": [spam.pk], "category": "spam", "rules": [rules[1].pk], "comment": "Ads"},
        follow=True,
    )
    body = response.content.decode()
    assert "moderators will look" in body
    assert "never told who reported" in body
    report = Report.objects.get()
    assert report.reporter_id == ada.pk
    assert report.target_id == bo.pk
    assert [p.original_id for p in report.posts.all()] == [spam.pk]
    assert [rule.pk for rule in report.rules.all()] == [rules[1].pk]


def test_reporting_yourself_is_refused_with_the_form_kept(ada):
    response = _client(ada.user).post(
        f"/reports/new?account={ada.pk}", {"category": "other", "comment": "Me?"}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "cannot report yourself" in body
    assert "Me?" in body
    assert not Report.objects.exists()


def test_too_many_posts_are_refused_with_the_form_kept(ada, bo, post):
    posts = [post(bo, f"Post number {number}") for number in range(REPORT_POSTS_MAX + 1)]
    response = _client(ada.user).post(
        f"/reports/new?account={bo.pk}",
        {"statuses": [p.pk for p in posts], "category": "spam", "comment": "So many"},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert f"at most {REPORT_POSTS_MAX} posts" in body
    assert "So many" in body
    assert not Report.objects.exists()


def test_a_post_that_is_not_on_the_form_is_refused(ada, bo, cy, post):
    other = post(cy, "Cy's post")
    response = _client(ada.user).post(
        f"/reports/new?account={bo.pk}", {"statuses": [other.pk], "category": "spam"}
    )
    assert response.status_code == 422
    assert not Report.objects.exists()


def test_report_links_show_on_others_posts_and_profiles_only(ada, bo, post):
    mine, theirs = post(ada, "My own post"), post(bo, "Bo's post")
    client = _client(ada.user)
    assert f"/reports/new?account={bo.pk}&amp;status={theirs.pk}" in (
        client.get(f"/@bo/{theirs.pk}").content.decode()
    )
    assert "/reports/new" not in client.get(f"/@ada/{mine.pk}").content.decode()
    assert f"/reports/new?account={bo.pk}" in client.get("/@bo").content.decode()
    assert "/reports/new" not in client.get("/@ada").content.decode()


# --- The whole flow -----------------------------------------------------------------------


def test_a_report_ends_with_the_post_removed_and_both_people_told(
    ada, bo, moderator, post, rules, run_jobs
):
    spam = post(bo, "Buy my worksheets at a discount!")
    reporter = _client(ada.user)
    reporter.post(
        f"/reports/new?account={bo.pk}&status={spam.pk}",
        {"statuses": [spam.pk], "category": "violation", "rules": [rules[1].pk]},
    )
    report = Report.objects.get()

    mod = _client(moderator)
    assert f"/moderation/reports/{report.pk}" in mod.get("/moderation").content.decode()
    done = mod.post(
        f"/moderation/reports/{report.pk}/remove",
        {"status": spam.pk, "note": "Adverts break rule 2."},
        follow=True,
    )
    assert done.status_code == 200
    assert "The post is removed" in done.content.decode()
    assert Status.objects.get(pk=spam.pk).removed_at is not None
    assert not Report.objects.get(pk=report.pk).is_open
    assert "No open reports" in mod.get("/moderation").content.decode()

    # The post is gone from its page and the profile, for everyone.
    assert reporter.get(f"/@bo/{spam.pk}").status_code == 404
    assert "Buy my worksheets" not in reporter.get("/@bo").content.decode()
    author = _client(bo.user)
    assert "Buy my worksheets" not in author.get("/@bo").content.decode()

    # The reporter sees it handled, never what was done.
    mine = reporter.get("/settings/reports").content.decode()
    assert "Handled by a moderator." in mine
    assert "Adverts break rule 2." not in mine

    # The author reads the note, never who reported or who acted.
    notices = author.get("/settings/moderation").content.decode()
    assert "Adverts break rule 2." in notices
    assert "Removed a post" in notices
    assert "@ada" not in notices
    assert "ada" not in notices.split("<main")[1]
    assert "modmo" not in notices
    run_jobs()


def test_each_action_on_a_report_works(moderator, report):
    client = _client(moderator)
    client.post(f"/moderation/reports/{report.pk}/dismiss", {"note": "Fine"})
    assert not Report.objects.get(pk=report.pk).is_open
    client.post(f"/moderation/reports/{report.pk}/reopen")
    assert Report.objects.get(pk=report.pk).is_open
    spam = report.posts.get().original_id
    client.post(f"/moderation/reports/{report.pk}/sensitive", {"status": spam})
    assert Status.objects.get(pk=spam).sensitive
    client.post(f"/moderation/reports/{report.pk}/limit", {"note": "Calm down"})
    client.post(f"/moderation/reports/{report.pk}/suspend", {"note": "Enough"})
    target = report.target
    target.refresh_from_db()
    assert target.limited_at is not None
    assert target.suspended_at is not None
    kinds = set(ModerationAction.objects.values_list("kind", flat=True))
    assert {ActionKind.ACCOUNT_LIMIT, ActionKind.ACCOUNT_SUSPEND} <= kinds


def test_the_report_page_notes_an_edited_or_deleted_post(moderator, report):
    reported = Status.objects.get(pk=report.posts.get().original_id)
    status_delete(actor=reported.account, status=reported)
    body = _client(moderator).get(f"/moderation/reports/{report.pk}").content.decode()
    assert "Deleted by its author" in body
    assert "Buy my worksheets" in body  # the snapshot stays


def test_a_note_too_long_is_refused_with_the_note_kept(moderator, report):
    long_note = "x" * 2001
    response = _client(moderator).post(
        f"/moderation/reports/{report.pk}/dismiss", {"note": long_note}
    )
    assert response.status_code == 422
    assert long_note in response.content.decode()
    assert Report.objects.get(pk=report.pk).is_open


def test_removing_a_post_that_is_not_in_the_report_is_a_404(moderator, report, ada, post):
    other = post(ada, "Unrelated")
    response = _client(moderator).post(
        f"/moderation/reports/{report.pk}/remove", {"status": other.pk}
    )
    assert response.status_code == 404
    assert Status.objects.get(pk=other.pk).removed_at is None


def test_a_moderator_cannot_act_on_an_administrator(moderator, admin, ada):
    report = services.report_create(reporter=ada, target_id=admin.profile.pk)
    response = _client(moderator).post(f"/moderation/reports/{report.pk}/suspend", {"note": "Nope"})
    assert response.status_code == 403
    assert "Nope" in response.content.decode()
    admin.profile.refresh_from_db()
    assert admin.profile.suspended_at is None


def test_the_account_page_undoes_actions(moderator, bo, post):
    spam = post(bo, "Removed soon")
    services.status_remove(actor=moderator, status_id=spam.pk, note="Off topic")
    services.account_limit(actor=moderator, account_id=bo.pk)
    client = _client(moderator)
    page = client.get(f"/moderation/accounts/{bo.pk}").content.decode()
    assert "Removed soon" in page
    assert "Limited" in page
    client.post(f"/moderation/accounts/{bo.pk}/restore", {"status": spam.pk, "note": "Ok"})
    client.post(f"/moderation/accounts/{bo.pk}/unlimit", {"note": "Ok"})
    client.post(f"/moderation/accounts/{bo.pk}/suspend")
    client.post(f"/moderation/accounts/{bo.pk}/unsuspend")
    bo.refresh_from_db()
    assert Status.objects.get(pk=spam.pk).removed_at is None
    assert bo.limited_at is None
    assert bo.suspended_at is None
    assert client.post(f"/moderation/accounts/{bo.pk}/explode").status_code == 404


# --- Administrators ---------------------------------------------------------------------


def test_administrators_add_edit_and_take_down_rules(admin):
    client = _client(admin)
    client.post("/moderation/rules", {"text": "Be kind", "hint": ""})
    rule = Rule.objects.get()
    client.post(f"/moderation/rules/{rule.pk}/edit", {"text": "Be kind, always", "hint": "x"})
    rule.refresh_from_db()
    assert rule.text == "Be kind, always"
    client.post(f"/moderation/rules/{rule.pk}/delete")
    rule.refresh_from_db()
    assert rule.deleted_at is not None
    assert client.get(f"/moderation/rules/{rule.pk}/edit").status_code == 404
    client.post("/moderation/terms", {"terms": "Be *nice*"})
    assert "<em>nice</em>" in Client().get("/about").content.decode()


def test_an_empty_rule_is_refused_with_the_form_kept(admin):
    response = _client(admin).post("/moderation/rules", {"text": "   ", "hint": "Kept hint"})
    assert response.status_code == 422
    assert "Kept hint" in response.content.decode()
    assert not Rule.objects.exists()
    assert not ModerationAction.objects.exists()


def test_administrators_grant_and_take_back_roles(admin, bo):
    client = _client(admin)
    client.post("/moderation/roles", {"handle": "@bo", "role": "moderator"})
    bo.user.refresh_from_db()
    assert bo.user.role == StaffRole.MODERATOR
    assert "@bo" in client.get("/moderation/roles").content.decode()
    client.post("/moderation/roles", {"handle": "bo", "role": "member"})
    bo.user.refresh_from_db()
    assert bo.user.role == StaffRole.MEMBER


def test_an_unknown_handle_or_the_owner_is_refused(admin, owner):
    client = _client(admin)
    unknown = client.post("/moderation/roles", {"handle": "nobody", "role": "moderator"})
    assert unknown.status_code == 422
    assert "nobody" in unknown.content.decode()
    refused = client.post("/moderation/roles", {"handle": "headteacher", "role": "member"})
    assert refused.status_code == 403
    assert not ModerationAction.objects.filter(kind=ActionKind.ROLE_CHANGE).exists()


def test_the_audit_log_lists_actions_and_filters_by_kind(admin, moderator, report):
    services.report_dismiss(actor=moderator, report_id=report.pk, note="Not an advert")
    client = _client(admin)
    body = client.get("/moderation/audit").content.decode()
    assert "Dismissed a report" in body
    assert "Added a rule" in body
    filtered = client.get("/moderation/audit?kind=report_dismiss").content.decode()
    assert "Dismissed a report" in filtered
    assert "Added a rule" not in filtered.split("<table")[1]
    assert client.get("/moderation/audit?kind=bogus").status_code == 400


# --- CSRF -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/moderation/reports/{report}/dismiss", "/moderation/accounts/{target}/limit"],
)
def test_moderation_actions_need_a_csrf_token(moderator, report, path):
    url = path.format(report=report.pk, target=report.target_id)
    response = _client(moderator, csrf=True).post(url, {"note": "x"})
    assert response.status_code == 403
    assert Report.objects.get(pk=report.pk).is_open
    assert not ModerationAction.objects.filter(kind=ActionKind.ACCOUNT_LIMIT).exists()


def test_administrators_forms_and_the_report_form_need_a_csrf_token(admin, ada, bo):
    assert _client(admin, csrf=True).post("/moderation/rules", {"text": "X"}).status_code == 403
    assert not Rule.objects.exists()
    response = _client(ada.user, csrf=True).post(
        f"/reports/new?account={bo.pk}", {"category": "spam"}
    )
    assert response.status_code == 403
    assert not Report.objects.exists()
