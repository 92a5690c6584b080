"""The moderation API a teacher uses: the rules in force, filing a report, reading their own
reports and the notices about their account, through the real API stack."""

from __future__ import annotations

import pytest

from staffroom.moderation import services
from staffroom.moderation.models import Report, ReportCategory
from staffroom.posts.models import Visibility
from staffroom.posts.services import PostText, status_edit
from tests.graph.test_api_helpers import bearer, call, link_params

pytestmark = pytest.mark.django_db

REPORT_KEYS = {
    "id", "action_taken", "action_taken_at", "category", "comment", "forwarded",
    "created_at", "status_ids", "rule_ids", "target_account",
}  # fmt: skip


@pytest.fixture
def rules(admin):
    texts = ["Be kind to colleagues", "No student data", "No advertising"]
    return [services.rule_create(actor=admin, text=text, hint=f"Why: {text}") for text in texts]


def report(client, reporter, body, scopes="write:reports"):
    return call(client, "POST", "/api/v1/reports", bearer(reporter, scopes), body)


# --- The rules in force -------------------------------------------------------------------


def test_the_rules_in_force_are_public_in_order_with_string_ids(client, admin, rules):
    services.rule_delete(actor=admin, rule_id=rules[1].pk)
    response = client.get("/api/v1/instance/rules")
    assert response.status_code == 200, response.content
    assert response.json() == [
        {
            "id": str(rules[0].pk),
            "text": "Be kind to colleagues",
            "hint": "Why: Be kind to colleagues",
        },
        {"id": str(rules[2].pk), "text": "No advertising", "hint": "Why: No advertising"},
    ]


def test_both_instance_entities_carry_the_live_rules(client, rules):
    expected = client.get("/api/v1/instance/rules").json()
    assert len(expected) == 3
    assert client.get("/api/v1/instance").json()["rules"] == expected
    assert client.get("/api/v2/instance").json()["rules"] == expected


def test_no_rules_is_an_empty_list(client):
    assert client.get("/api/v1/instance/rules").json() == []
    assert client.get("/api/v2/instance").json()["rules"] == []


# --- Filing a report ----------------------------------------------------------------------


def test_a_report_answers_mastodons_report_entity(client, ada, bo, post, rules):
    status = post(bo, "Something unkind")
    response = report(
        client,
        ada,
        {
            "account_id": str(bo.pk),
            "status_ids": [str(status.pk)],
            "rule_ids": [str(rules[0].pk)],
            "comment": "Rude to a colleague",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == REPORT_KEYS
    saved = Report.objects.get()
    assert body["id"] == str(saved.pk)
    assert (saved.reporter, saved.target) == (ada, bo)
    assert body["status_ids"] == [str(status.pk)]
    assert body["rule_ids"] == [str(rules[0].pk)]
    assert body["category"] == ReportCategory.VIOLATION
    assert body["comment"] == "Rude to a colleague"
    assert (body["action_taken"], body["action_taken_at"], body["forwarded"]) == (
        False,
        None,
        False,
    )
    assert body["target_account"]["id"] == str(bo.pk)
    assert body["created_at"].endswith("Z")


def test_a_report_takes_a_form_body_with_rails_lists(client, ada, bo, post, rules):
    first, second = post(bo, "one"), post(bo, "two")
    response = client.post(
        "/api/v1/reports",
        f"account_id={bo.pk}&status_ids[]={first.pk}&status_ids[]={second.pk}"
        f"&rule_ids[]={rules[1].pk}&category=violation&comment=Twice&forward=false",
        content_type="application/x-www-form-urlencoded",
        **bearer(ada, "write:reports"),
    )
    assert response.status_code == 200, response.content
    assert sorted(response.json()["status_ids"]) == sorted([str(first.pk), str(second.pk)])
    assert Report.objects.get().posts.count() == 2


def test_reporting_yourself_is_a_422_and_writes_nothing(client, ada):
    response = report(client, ada, {"account_id": str(ada.pk)})
    assert response.status_code == 422
    assert "yourself" in response.json()["error"]
    assert not Report.objects.exists()


def test_reporting_a_post_you_cannot_see_answers_as_unknown(client, ada, bo, post):
    hidden = post(bo, "followers only", visibility=Visibility.FOLLOWERS)
    response = report(client, ada, {"account_id": str(bo.pk), "status_ids": [str(hidden.pk)]})
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}
    unknown = report(client, ada, {"account_id": "999999999999"})
    assert unknown.status_code == 404
    assert not Report.objects.exists()


def test_a_thousand_status_ids_is_a_422(client, ada, bo, post):
    status = post(bo)
    response = report(
        client, ada, {"account_id": str(bo.pk), "status_ids": [str(status.pk)] * 1000}
    )
    assert response.status_code == 422
    assert "at most 20" in response.json()["error"]
    form = client.post(  # 1,000 form fields: Django's limit, so the account id is in the query
        f"/api/v1/reports?account_id={bo.pk}",
        "&".join(f"status_ids[]={status.pk}" for _ in range(1000)),
        content_type="application/x-www-form-urlencoded",
        **bearer(ada, "write:reports"),
    )
    assert form.status_code == 422
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    "extra", [{"rule_ids": ["424242"]}, {"category": "rudeness"}, {"comment": "x" * 1001}]
)
def test_an_unknown_rule_or_category_or_a_long_comment_is_a_422(client, ada, bo, rules, extra):
    response = report(client, ada, {"account_id": str(bo.pk), **extra})
    assert response.status_code == 422, response.content
    assert response.json()["error"].startswith("Validation failed")
    assert not Report.objects.exists()


def test_a_report_without_an_account_is_a_422(client, ada):
    response = report(client, ada, {"comment": "who?"})
    assert response.status_code == 422
    assert "account_id" in response.json()["error"]


def test_reporting_needs_a_token_with_write_reports(client, ada, bo):
    body = {"account_id": str(bo.pk)}
    assert call(client, "POST", "/api/v1/reports", {}, body).status_code == 401
    assert report(client, ada, body, scopes="read").status_code == 403
    assert report(client, ada, body, scopes="write").status_code == 200


# --- A teacher's own reports --------------------------------------------------------------


def test_a_teacher_reads_their_reports_open_or_handled_never_what_was_done(
    client, ada, bo, moderator, post
):
    status = post(bo, "unkind")
    first = services.report_create(reporter=ada, target_id=bo.pk, status_ids=[status.pk])
    second = services.report_create(reporter=ada, target_id=bo.pk, comment="again")
    services.account_limit(
        actor=moderator, account_id=bo.pk, note="Private limit note", report_id=first.pk
    )
    response = call(client, "GET", "/api/v1/pln/reports", bearer(ada, "read"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert [(item["id"], item["state"]) for item in body] == [
        (str(second.pk), "open"),
        (str(first.pk), "handled"),
    ]
    assert body[1]["status_ids"] == [str(status.pk)]
    assert body[1]["target_account"]["id"] == str(bo.pk)
    text = response.content.decode()
    assert "Private limit note" not in text
    assert "modmo" not in text
    assert "limit" not in text


def test_a_teacher_pages_their_reports_with_link_headers(client, ada, bo, cy):
    made = [services.report_create(reporter=ada, target_id=target.pk) for target in (bo, cy, bo)]
    headers = bearer(ada, "read:accounts")
    first = call(client, "GET", "/api/v1/pln/reports?limit=2", headers)
    assert [item["id"] for item in first.json()] == [str(made[2].pk), str(made[1].pk)]
    links = link_params(first)
    assert f"max_id={made[1].pk}" in links["next"]
    assert f"min_id={made[2].pk}" in links["prev"]
    rest = call(client, "GET", f"/api/v1/pln/reports?{links['next']}", headers)
    assert [item["id"] for item in rest.json()] == [str(made[0].pk)]


def test_another_teachers_report_answers_404_like_an_unknown_one(client, ada, bo, cy):
    """SECURITY-PLAN P-8, A-7."""
    mine = services.report_create(reporter=ada, target_id=bo.pk)
    assert call(client, "GET", f"/api/v1/pln/reports/{mine.pk}", bearer(ada, "read")).json()[
        "id"
    ] == str(mine.pk)
    for viewer in (cy, bo):  # another teacher, and the person reported
        response = call(client, "GET", f"/api/v1/pln/reports/{mine.pk}", bearer(viewer, "read"))
        assert response.status_code == 404
        assert response.json() == {"error": "Record not found"}
    unknown = call(client, "GET", "/api/v1/pln/reports/12345", bearer(cy, "read"))
    assert unknown.json() == {"error": "Record not found"}


def test_own_routes_need_a_token_with_read(client, ada):
    assert client.get("/api/v1/pln/reports").status_code == 401
    assert client.get("/api/v1/pln/moderation/notices").status_code == 401
    write_only = bearer(ada, "write")
    assert call(client, "GET", "/api/v1/pln/reports", write_only).status_code == 403
    assert call(client, "GET", "/api/v1/pln/moderation/notices", write_only).status_code == 403


# --- Notices about the teacher's own account ---------------------------------------------


def test_the_reported_person_reads_the_notice_but_never_the_reporter_or_the_moderator(
    client, ada, bo, moderator, post
):
    """SECURITY-PLAN P-8."""
    status = post(bo, "Something unkind about the head")
    filed = services.report_create(
        reporter=ada, target_id=bo.pk, status_ids=[status.pk], comment="Ada's own words"
    )
    status_edit(editor=bo, status=status, draft=PostText(text="Edited later"))
    services.status_remove(
        actor=moderator, status_id=status.pk, note="Please keep it kind", report_id=filed.pk
    )
    response = call(client, "GET", "/api/v1/pln/moderation/notices", bearer(bo, "read"))
    assert response.status_code == 200, response.content
    [notice] = response.json()
    assert notice["kind"] == "status_remove"
    assert notice["note"] == "Please keep it kind"
    assert notice["status_id"] == str(status.pk)
    assert "Edited later" in notice["post"]["content"]
    assert set(notice) == {"id", "kind", "summary", "created_at", "note", "status_id", "post"}
    text = response.content.decode()
    for secret in ("ada", str(ada.pk), "Ada's own words", str(filed.pk), "modmo"):
        assert secret not in text
    one = call(client, "GET", f"/api/v1/pln/moderation/notices/{notice['id']}", bearer(bo, "read"))
    assert one.json() == notice


def test_a_notice_about_someone_else_answers_404(client, ada, bo, moderator):
    services.account_limit(actor=moderator, account_id=bo.pk, note="Limited")
    [notice] = call(client, "GET", "/api/v1/pln/moderation/notices", bearer(bo, "read")).json()
    assert call(client, "GET", "/api/v1/pln/moderation/notices", bearer(ada, "read")).json() == []
    other = call(
        client, "GET", f"/api/v1/pln/moderation/notices/{notice['id']}", bearer(ada, "read")
    )
    assert other.status_code == 404
    assert other.json() == {"error": "Record not found"}


def test_dismissals_are_not_notices(client, ada, bo, moderator):
    filed = services.report_create(reporter=ada, target_id=bo.pk)
    services.report_dismiss(actor=moderator, report_id=filed.pk)
    assert call(client, "GET", "/api/v1/pln/moderation/notices", bearer(bo, "read")).json() == []
