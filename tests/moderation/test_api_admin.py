"""Mastodon's admin API for reports and accounts and the PLN moderation extensions: the
happy paths, who may call them (token scope and role), ranks, bad input, and that a refused
call changes nothing."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from staffroom.accounts.models import StaffRole, User
from staffroom.accounts.selectors import site_configuration
from staffroom.moderation import services
from staffroom.moderation.models import ActionKind, ModerationAction, Report, Rule
from staffroom.oauth.models import OAuthApplication
from staffroom.oauth.services import personal_token_create
from staffroom.posts.models import Status
from staffroom.posts.services import PostText, status_edit
from staffroom.profiles.models import Profile
from tests.graph.test_api_helpers import bearer, call, link_params

pytestmark = pytest.mark.django_db

ADMIN_SCOPES = "read write admin:read admin:write"
ADMIN_ACCOUNT_KEYS = {
    "id", "username", "domain", "created_at", "email", "ip", "role", "confirmed", "suspended",
    "silenced", "sensitized", "disabled", "approved", "locale", "invite_request", "ips",
    "account",
}  # fmt: skip
ADMIN_REPORT_KEYS = {
    "id", "action_taken", "action_taken_at", "category", "comment", "forwarded", "created_at",
    "updated_at", "account", "target_account", "assigned_account", "action_taken_by_account",
    "statuses", "rules",
}  # fmt: skip

# (method, path template, body): every route that needs a moderator or an administrator.
MODERATOR_ROUTES = [
    ("GET", "/api/v1/admin/reports", None),
    ("GET", "/api/v1/admin/reports/{report}", None),
    ("POST", "/api/v1/admin/reports/{report}/resolve", {}),
    ("POST", "/api/v1/admin/reports/{report}/reopen", {}),
    ("GET", "/api/v1/admin/accounts/{account}", None),
    ("POST", "/api/v1/admin/accounts/{account}/action", {"type": "suspend"}),
    ("POST", "/api/v1/admin/accounts/{account}/unsilence", {}),
    ("POST", "/api/v1/admin/accounts/{account}/unsuspend", {}),
    ("POST", "/api/v1/pln/admin/statuses/{status}/remove", {}),
    ("POST", "/api/v1/pln/admin/statuses/{status}/restore", {}),
    ("POST", "/api/v1/pln/admin/statuses/{status}/sensitive", {}),
]
ADMIN_ROUTES = [
    ("GET", "/api/v1/pln/admin/audit_log", None),
    ("PUT", "/api/v1/pln/admin/accounts/{account}/role", {"role": "admin"}),
    ("GET", "/api/v1/pln/admin/rules", None),
    ("POST", "/api/v1/pln/admin/rules", {"text": "Mine"}),
    ("PUT", "/api/v1/pln/admin/rules/{rule}", {"text": "Changed"}),
    ("DELETE", "/api/v1/pln/admin/rules/{rule}", None),
    ("GET", "/api/v1/pln/admin/terms", None),
    ("PUT", "/api/v1/pln/admin/terms", {"terms": "Mine"}),
]


def admin_bearer(profile: Profile, scopes: str = ADMIN_SCOPES) -> dict[str, str]:
    """A token with admin scopes: the command-line application may not ask for them, so
    these come from an application registered with them (as an admin app would be)."""
    app = OAuthApplication.objects.filter(name="Moderation app").first()
    if app is None:
        app = OAuthApplication.objects.create(
            name="Moderation app",
            redirect_uris="urn:ietf:wg:oauth:2.0:oob",
            scopes=ADMIN_SCOPES,
            client_type=OAuthApplication.CLIENT_CONFIDENTIAL,
            authorization_grant_type=OAuthApplication.GRANT_AUTHORIZATION_CODE,
        )
    assert profile.user is not None
    raw = personal_token_create(user=profile.user, scopes=scopes, application=app).raw_token
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def staff(user: User, scopes: str = ADMIN_SCOPES) -> dict[str, str]:
    return admin_bearer(user.profile, scopes)


@pytest.fixture
def reported(admin, ada, bo, post):
    """Ada reports two of Bo's posts under a rule; Bo then edits one."""
    rule = services.rule_create(actor=admin, text="Be kind to colleagues", hint="Always")
    first, second = post(bo, "Something **unkind**"), post(bo, "And more")
    report = services.report_create(
        reporter=ada,
        target_id=bo.pk,
        status_ids=[first.pk, second.pk],
        rule_ids=[rule.pk],
        comment="Rude",
    )
    status_edit(editor=bo, status=first, draft=PostText(text="Something nice"))
    return report


def _fill(path: str, **ids: object) -> str:
    return path.format(**{key: str(value) for key, value in ids.items()})


def _state(*profiles: Profile) -> list[object]:
    """Everything a moderation call could change, read afresh from the database."""
    ids = [profile.pk for profile in profiles]
    accounts = Profile.objects.filter(pk__in=ids).order_by("pk")
    return [
        list(
            accounts.values_list(
                "pk", "limited_at", "suspended_at", "user__role", "user__is_active"
            )
        ),
        list(Report.objects.values_list("pk", "resolved_at").order_by("pk")),
        list(Status.objects.values_list("pk", "removed_at", "sensitive").order_by("pk")),
        list(Rule.objects.values_list("pk", "text", "deleted_at").order_by("pk")),
        site_configuration().terms,
        ModerationAction.objects.count(),
    ]


# --- Who may call ------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "body"), MODERATOR_ROUTES + ADMIN_ROUTES)
def test_every_admin_route_refuses_a_teacher_and_no_token(
    client, reported, ada, bo, method, path, body
):
    """A teacher holding every admin scope is still a 403 (the role decides); a teacher's
    ordinary token is a 403 (the scope); no token is a 401. Nothing changes."""
    rule = Rule.objects.get()
    status = Status.objects.filter(account=bo).order_by("pk")[0]
    url = _fill(path, report=reported.pk, account=bo.pk, status=status.pk, rule=rule.pk)
    before = _state(ada, bo)
    with_admin_scopes = call(client, method, url, admin_bearer(ada), body)
    assert with_admin_scopes.status_code == 403, with_admin_scopes.content
    assert with_admin_scopes.json()["error"]
    assert call(client, method, url, bearer(ada, "read write follow"), body).status_code == 403
    assert call(client, method, url, {}, body).status_code == 401
    assert _state(ada, bo) == before


@pytest.mark.parametrize(("method", "path", "body"), ADMIN_ROUTES)
def test_administrator_routes_refuse_moderators(
    client, reported, moderator, bo, method, path, body
):
    url = _fill(path, account=bo.pk, rule=Rule.objects.get().pk)
    before = _state(bo)
    response = call(client, method, url, staff(moderator), body)
    assert response.status_code == 403
    assert "administrators" in response.json()["error"]
    assert _state(bo) == before


def test_a_moderator_token_without_the_admin_scope_is_refused(client, reported, moderator):
    response = call(client, "GET", "/api/v1/admin/reports", staff(moderator, "read write"))
    assert response.status_code == 403
    narrow = staff(moderator, "admin:read:accounts")
    assert call(client, "GET", "/api/v1/admin/reports", narrow).status_code == 403
    assert (
        call(client, "GET", "/api/v1/admin/reports", staff(moderator, "admin:read")).status_code
        == 200
    )


# --- Reports -------------------------------------------------------------------------------


def test_the_queue_answers_admin_reports_with_the_posts_as_reported(
    client, reported, moderator, ada, bo
):
    response = call(client, "GET", "/api/v1/admin/reports", staff(moderator))
    assert response.status_code == 200, response.content
    [body] = response.json()
    assert set(body) == ADMIN_REPORT_KEYS
    assert body["id"] == str(reported.pk)
    assert body["account"]["id"] == str(ada.pk)
    assert body["account"]["email"] == "ada@school.example"
    assert body["target_account"]["account"]["id"] == str(bo.pk)
    assert (body["assigned_account"], body["action_taken_by_account"]) == (None, None)
    assert body["action_taken"] is False
    assert body["comment"] == "Rude"
    assert body["rules"] == [
        {"id": str(reported.rules.get().pk), "text": "Be kind to colleagues", "hint": "Always"}
    ]
    first = body["statuses"][0]
    assert "<strong>unkind</strong>" in first["content"]
    assert first["edited_at"] is None
    assert first["visibility"] == "public"
    assert first["account"]["id"] == str(bo.pk)
    assert {"id", "content", "spoiler_text", "sensitive", "visibility", "created_at"} <= set(first)
    assert len(body["statuses"]) == 2


def test_the_queue_filters_and_pages_with_link_headers(client, moderator, ada, bo, cy):
    reports = [services.report_create(reporter=ada, target_id=t.pk) for t in (bo, cy, bo, cy)]
    services.report_dismiss(actor=moderator, report_id=reports[0].pk)
    headers = staff(moderator)
    page = call(client, "GET", "/api/v1/admin/reports?limit=2", headers)
    assert [item["id"] for item in page.json()] == [str(reports[3].pk), str(reports[2].pk)]
    links = link_params(page)
    assert f"max_id={reports[2].pk}" in links["next"]
    assert "limit=2" in links["next"]
    rest = call(client, "GET", f"/api/v1/admin/reports?{links['next']}", headers)
    assert [item["id"] for item in rest.json()] == [str(reports[1].pk)]
    resolved = call(client, "GET", "/api/v1/admin/reports?resolved=true", headers).json()
    assert [item["id"] for item in resolved] == [str(reports[0].pk)]
    assert resolved[0]["action_taken"] is True
    assert resolved[0]["action_taken_by_account"]["username"] == "modmo"
    on_cy = call(client, "GET", f"/api/v1/admin/reports?target_account_id={cy.pk}", headers).json()
    assert [item["id"] for item in on_cy] == [str(reports[3].pk), str(reports[1].pk)]
    junk = call(client, "GET", "/api/v1/admin/reports?target_account_id=nope", headers)
    assert junk.json() == []


def test_one_report_and_an_unknown_one(client, reported, moderator):
    headers = staff(moderator)
    assert call(client, "GET", f"/api/v1/admin/reports/{reported.pk}", headers).json()["id"] == str(
        reported.pk
    )
    for bad in ("123456789", "junk"):
        response = call(client, "GET", f"/api/v1/admin/reports/{bad}", headers)
        assert response.status_code == 404
        assert response.json() == {"error": "Record not found"}


def test_resolve_dismisses_and_reopen_opens_again(client, reported, moderator):
    headers = staff(moderator)
    resolved = call(client, "POST", f"/api/v1/admin/reports/{reported.pk}/resolve", headers)
    assert resolved.status_code == 200, resolved.content
    assert resolved.json()["action_taken"] is True
    reported.refresh_from_db()
    assert (reported.resolved_at is not None, reported.action_taken) == (True, False)
    reopened = call(client, "POST", f"/api/v1/admin/reports/{reported.pk}/reopen", headers)
    assert reopened.json()["action_taken"] is False
    assert reopened.json()["action_taken_at"] is None
    kinds = list(ModerationAction.objects.order_by("id").values_list("kind", flat=True))
    assert kinds[-2:] == [ActionKind.REPORT_DISMISS, ActionKind.REPORT_REOPEN]


# --- Accounts ----------------------------------------------------------------------------


def test_an_account_as_moderators_see_it(client, moderator, admin, bo):
    response = call(client, "GET", f"/api/v1/admin/accounts/{bo.pk}", staff(moderator))
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == ADMIN_ACCOUNT_KEYS
    assert (body["username"], body["domain"], body["email"]) == ("bo", None, "bo@school.example")
    assert (body["suspended"], body["silenced"], body["disabled"], body["approved"]) == (
        False, False, False, True,
    )  # fmt: skip
    assert body["role"]["id"] == "-99"
    assert (body["ip"], body["ips"], body["sensitized"]) == (None, [], False)
    assert body["account"]["id"] == str(bo.pk)
    staff_body = call(client, "GET", f"/api/v1/admin/accounts/{admin.profile.pk}", staff(moderator))
    assert staff_body.json()["role"]["name"] == "Admin"
    unknown = call(client, "GET", "/api/v1/admin/accounts/98765", staff(moderator))
    assert unknown.status_code == 404


def test_silence_with_a_report_limits_the_account_and_resolves_the_report(
    client, reported, moderator, bo
):
    response = call(
        client,
        "POST",
        f"/api/v1/admin/accounts/{bo.pk}/action",
        staff(moderator),
        {"type": "silence", "report_id": str(reported.pk), "text": "Please be kinder"},
    )
    assert response.status_code == 200, response.content
    assert response.json() == {}
    bo.refresh_from_db()
    reported.refresh_from_db()
    assert bo.limited_at is not None
    assert (reported.is_open, reported.action_taken) == (False, True)
    action = ModerationAction.objects.get(kind=ActionKind.ACCOUNT_LIMIT)
    assert (action.note, action.report_id) == ("Please be kinder", reported.pk)
    shown = call(client, "GET", f"/api/v1/admin/accounts/{bo.pk}", staff(moderator)).json()
    assert shown["silenced"] is True
    lifted = call(client, "POST", f"/api/v1/admin/accounts/{bo.pk}/unsilence", staff(moderator))
    assert lifted.json()["silenced"] is False


def test_suspend_and_unsuspend(client, moderator, bo):
    headers = staff(moderator)
    form = client.post(
        f"/api/v1/admin/accounts/{bo.pk}/action",
        "type=suspend&text=Spam",
        content_type="application/x-www-form-urlencoded",
        **headers,
    )
    assert form.status_code == 200, form.content
    bo.refresh_from_db()
    assert bo.suspended_at is not None
    assert not User.objects.get(pk=bo.user.pk).is_active
    shown = call(client, "GET", f"/api/v1/admin/accounts/{bo.pk}", headers).json()
    assert (shown["suspended"], shown["disabled"]) == (True, False)
    back = call(client, "POST", f"/api/v1/admin/accounts/{bo.pk}/unsuspend", headers)
    assert back.json()["suspended"] is False
    assert User.objects.get(pk=bo.user.pk).is_active


def test_none_dismisses_the_report_and_needs_one(client, reported, moderator, bo):
    url = f"/api/v1/admin/accounts/{bo.pk}/action"
    without = call(client, "POST", url, staff(moderator), {"type": "none"})
    assert without.status_code == 422
    assert "report_id" in without.json()["error"]
    assert not ModerationAction.objects.filter(kind=ActionKind.REPORT_DISMISS).exists()
    done = call(client, "POST", url, staff(moderator), {"type": "none", "report_id": reported.pk})
    assert done.status_code == 200
    reported.refresh_from_db()
    assert (reported.is_open, reported.action_taken) == (False, False)


def test_sensitive_marks_the_reported_posts_and_needs_a_report(client, reported, moderator, bo):
    url = f"/api/v1/admin/accounts/{bo.pk}/action"
    assert call(client, "POST", url, staff(moderator), {"type": "sensitive"}).status_code == 422
    assert not Status.objects.filter(sensitive=True).exists()
    done = call(
        client, "POST", url, staff(moderator), {"type": "sensitive", "report_id": str(reported.pk)}
    )
    assert done.status_code == 200, done.content
    assert Status.objects.filter(account=bo, sensitive=True).count() == 2
    reported.refresh_from_db()
    assert (reported.is_open, reported.action_taken) == (False, True)


def test_a_report_about_another_account_is_refused(client, reported, moderator, cy):
    response = call(
        client,
        "POST",
        f"/api/v1/admin/accounts/{cy.pk}/action",
        staff(moderator),
        {"type": "silence", "report_id": str(reported.pk)},
    )
    assert response.status_code == 422
    cy.refresh_from_db()
    assert cy.limited_at is None


@pytest.mark.parametrize(("kind", "message"), [("disable", "use suspend"), ("ban", "one of")])
def test_disable_and_unknown_types_are_a_422(client, moderator, bo, kind, message):
    response = call(
        client, "POST", f"/api/v1/admin/accounts/{bo.pk}/action", staff(moderator), {"type": kind}
    )
    assert response.status_code == 422
    assert message in response.json()["error"]
    bo.refresh_from_db()
    assert (bo.limited_at, bo.suspended_at) == (None, None)


@pytest.mark.parametrize(
    ("kind", "with_report"),
    [
        ("silence", True),
        ("silence", False),
        ("suspend", True),
        ("suspend", False),
        ("sensitive", True),
    ],
)
def test_a_moderator_acting_on_an_administrator_is_refused_and_nothing_changes(
    client, moderator, admin, ada, post, kind, with_report
):
    target = admin.profile
    status = post(target, "An administrator's post")
    filed = services.report_create(reporter=ada, target_id=target.pk, status_ids=[status.pk])
    before = _state(target, ada)
    body = {"type": kind, "text": "Note"}
    if with_report:
        body["report_id"] = str(filed.pk)
    response = call(
        client, "POST", f"/api/v1/admin/accounts/{target.pk}/action", staff(moderator), body
    )
    assert response.status_code == 403, response.content
    assert _state(target, ada) == before


def test_a_moderator_cannot_lift_an_administrators_state_either(client, moderator, admin, owner):
    services.account_limit(actor=owner, account_id=admin.profile.pk)
    before = _state(admin.profile)
    url = f"/api/v1/admin/accounts/{admin.profile.pk}/unsilence"
    assert call(client, "POST", url, staff(moderator)).status_code == 403
    assert _state(admin.profile) == before


# --- PLN: single posts --------------------------------------------------------------------


def test_remove_restore_and_mark_a_post_sensitive(client, reported, moderator, bo):
    status = Status.objects.filter(account=bo).order_by("-pk")[0]
    headers = staff(moderator)
    base = f"/api/v1/pln/admin/statuses/{status.pk}"
    removed = call(
        client, "POST", f"{base}/remove", headers, {"text": "Off topic", "report_id": reported.pk}
    )
    assert removed.status_code == 200, removed.content
    assert removed.json()["removed"] is True
    assert removed.json()["id"] == str(status.pk)
    reported.refresh_from_db()
    assert not reported.is_open
    assert call(client, "GET", f"/api/v1/statuses/{status.pk}", bearer(bo)).status_code == 404
    restored = call(client, "POST", f"{base}/restore", headers, {})
    assert (restored.json()["removed"], restored.json()["removed_at"]) == (False, None)
    sensitive = call(client, "POST", f"{base}/sensitive", headers, {"text": "CW please"})
    assert sensitive.json()["sensitive"] is True
    assert (
        call(client, "POST", "/api/v1/pln/admin/statuses/1234/remove", headers, {}).status_code
        == 404
    )


def test_a_moderator_cannot_remove_an_administrators_post(client, moderator, admin, post):
    status = post(admin.profile, "Mine")
    response = call(
        client, "POST", f"/api/v1/pln/admin/statuses/{status.pk}/remove", staff(moderator), {}
    )
    assert response.status_code == 403
    status.refresh_from_db()
    assert status.removed_at is None


# --- PLN: administrators ------------------------------------------------------------------


def test_the_audit_log_is_newest_first_filtered_and_paged(client, admin, moderator, ada, bo):
    services.account_limit(actor=moderator, account_id=bo.pk, note="n1")
    services.account_unlimit(actor=moderator, account_id=bo.pk)
    services.rule_create(actor=admin, text="Kind")
    headers = staff(admin)
    page = call(client, "GET", "/api/v1/pln/admin/audit_log?limit=2", headers)
    assert page.status_code == 200, page.content
    assert [entry["kind"] for entry in page.json()] == ["rule_create", "account_unlimit"]
    rest = call(client, "GET", f"/api/v1/pln/admin/audit_log?{link_params(page)['next']}", headers)
    [limit] = rest.json()
    assert limit["kind"] == "account_limit"
    assert limit["actor"] == {"id": str(moderator.profile.pk), "acct": "modmo"}
    assert limit["target_account"] == {"id": str(bo.pk), "acct": "bo"}
    assert (limit["note"], limit["report_id"], limit["target_status_id"]) == ("n1", None, None)
    only = call(client, "GET", "/api/v1/pln/admin/audit_log?kind=rule_create", headers).json()
    assert [entry["kind"] for entry in only] == ["rule_create"]
    assert only[0]["target_account"] is None
    bad = call(client, "GET", "/api/v1/pln/admin/audit_log?kind=nonsense", headers)
    assert bad.status_code == 422


def test_an_administrator_sets_roles_but_not_on_an_equal(client, admin, owner, bo):
    url = f"/api/v1/pln/admin/accounts/{bo.pk}/role"
    response = call(client, "PUT", url, staff(admin), {"role": "moderator"})
    assert response.status_code == 200, response.content
    assert response.json()["role"]["name"] == "Moderator"
    assert User.objects.get(pk=bo.user.pk).role == StaffRole.MODERATOR
    assert call(client, "PUT", url, staff(admin), {"role": "boss"}).status_code == 422
    on_owner = call(
        client,
        "PUT",
        f"/api/v1/pln/admin/accounts/{owner.profile.pk}/role",
        staff(admin),
        {"role": "member"},
    )
    assert on_owner.status_code == 403


def test_an_administrator_manages_rules_and_terms(client, admin):
    headers = staff(admin)
    made = call(
        client, "POST", "/api/v1/pln/admin/rules", headers, {"text": "Be kind", "hint": "Always"}
    )
    assert made.status_code == 200, made.content
    rule_id = made.json()["id"]
    assert made.json()["position"] == 1
    changed = call(
        client, "PUT", f"/api/v1/pln/admin/rules/{rule_id}", headers, {"text": "Be kinder"}
    )
    assert changed.json()["text"] == "Be kinder"
    listed = call(client, "GET", "/api/v1/pln/admin/rules", headers).json()
    assert [rule["text"] for rule in listed] == ["Be kinder"]
    assert call(client, "GET", "/api/v1/instance/rules", {}).json()[0]["text"] == "Be kinder"
    assert (
        call(client, "POST", "/api/v1/pln/admin/rules", headers, {"text": " "}).status_code == 422
    )
    assert call(client, "DELETE", f"/api/v1/pln/admin/rules/{rule_id}", headers).json() == {}
    assert call(client, "GET", "/api/v1/instance/rules", {}).json() == []
    gone = call(client, "PUT", f"/api/v1/pln/admin/rules/{rule_id}", headers, {"text": "Back"})
    assert gone.status_code == 404
    terms = call(
        client, "PUT", "/api/v1/pln/admin/terms", headers, {"terms": "# Terms\n\nBe professional."}
    )
    assert terms.status_code == 200
    cache.clear()
    assert site_configuration().terms.startswith("# Terms")
    assert (
        call(client, "GET", "/api/v1/pln/admin/terms", headers)
        .json()["terms"]
        .startswith("# Terms")
    )


# --- The OpenAPI document -----------------------------------------------------------------


def test_the_openapi_document_lists_every_moderation_route(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    expected = {
        "/api/v1/instance/rules": {"get"},
        "/api/v1/reports": {"post"},
        "/api/v1/admin/reports": {"get"},
        "/api/v1/admin/reports/{id}": {"get"},
        "/api/v1/admin/reports/{id}/resolve": {"post"},
        "/api/v1/admin/reports/{id}/reopen": {"post"},
        "/api/v1/admin/accounts/{id}": {"get"},
        "/api/v1/admin/accounts/{id}/action": {"post"},
        "/api/v1/admin/accounts/{id}/unsilence": {"post"},
        "/api/v1/admin/accounts/{id}/unsuspend": {"post"},
        "/api/v1/pln/admin/statuses/{id}/remove": {"post"},
        "/api/v1/pln/admin/statuses/{id}/restore": {"post"},
        "/api/v1/pln/admin/statuses/{id}/sensitive": {"post"},
        "/api/v1/pln/admin/audit_log": {"get"},
        "/api/v1/pln/admin/accounts/{id}/role": {"put"},
        "/api/v1/pln/admin/rules": {"get", "post"},
        "/api/v1/pln/admin/rules/{id}": {"put", "delete"},
        "/api/v1/pln/admin/terms": {"get", "put"},
        "/api/v1/pln/reports": {"get"},
        "/api/v1/pln/reports/{id}": {"get"},
        "/api/v1/pln/moderation/notices": {"get"},
        "/api/v1/pln/moderation/notices/{id}": {"get"},
    }
    assert {path: set(paths.get(path, {})) for path in expected} == expected
