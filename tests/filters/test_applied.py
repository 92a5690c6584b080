"""Filters as they apply: `filtered` on Statuses (warn) and posts taken out (hide) in
every timeline, threads, profiles, notifications and streams, with pages that still move
past what was taken out."""

from __future__ import annotations

import json

import pytest

from staffroom.filters.services import KeywordChange, filter_create
from staffroom.graph.services import follow_create
from staffroom.notifications.models import Notification
from staffroom.posts.services import reblog_create
from staffroom.streaming import broker
from staffroom.streaming.messages import FILTERS_CHANGED, UPDATE, StreamMessage
from staffroom.streaming.render import render_payloads
from tests.factories import make_post
from tests.graph.test_api_helpers import bearer, link_params

pytestmark = pytest.mark.django_db

RESULT_KEYS = {"filter", "keyword_matches", "status_matches"}


def _filter(
    owner, word, *, action="warn", context=("home", "public", "thread", "account", "notifications")
):
    return filter_create(
        actor=owner,
        title=f"No {word}",
        context=list(context),
        action=action,
        keywords=[KeywordChange(keyword=word)],
    )


def _ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()]


@pytest.fixture
def feed(ada, bo, run_jobs):
    """ada follows bo, who posts three times (one about exams, one about grading)."""
    follow_create(actor=ada, target=bo)
    posts = {
        "plain": make_post(bo, "Fractions with pizza"),
        "exam": make_post(bo, "Exam season again"),
        "grading": make_post(bo, "Grading all weekend"),
    }
    run_jobs()
    return posts


def test_warn_marks_the_status_with_a_filter_result(client, ada, feed):
    made = _filter(ada, "grading")
    body = client.get("/api/v1/timelines/home", **bearer(ada)).json()
    by_id = {item["id"]: item for item in body}
    warned = by_id[str(feed["grading"].pk)]
    assert len(warned["filtered"]) == 1
    result = warned["filtered"][0]
    assert set(result) == RESULT_KEYS
    assert result["keyword_matches"] == ["grading"]
    assert result["status_matches"] is None
    assert result["filter"]["id"] == str(made.pk)
    assert result["filter"]["filter_action"] == "warn"
    assert by_id[str(feed["plain"].pk)]["filtered"] == []


def test_signed_out_statuses_carry_no_filtered(client, ada, bo):
    _filter(ada, "grading")
    make_post(bo, "Grading again")
    body = client.get("/api/v1/timelines/public").json()
    assert all("filtered" not in item for item in body)


def test_hide_takes_posts_out_of_home_and_the_link_points_past_them(client, ada, feed):
    _filter(ada, "exam", action="hide")
    response = client.get("/api/v1/timelines/home?limit=2", **bearer(ada))
    assert _ids(response) == [str(feed["grading"].pk)]  # the exam post was the 2nd row
    assert link_params(response)["next"] == f"limit=2&max_id={feed['exam'].pk}"
    older = client.get(f"/api/v1/timelines/home?limit=2&max_id={feed['exam'].pk}", **bearer(ada))
    assert _ids(older) == [str(feed["plain"].pk)]


def test_hide_applies_only_in_its_contexts(client, ada, feed):
    _filter(ada, "exam", action="hide", context=("public",))
    assert str(feed["exam"].pk) in _ids(client.get("/api/v1/timelines/home", **bearer(ada)))
    assert str(feed["exam"].pk) not in _ids(client.get("/api/v1/timelines/public", **bearer(ada)))


def test_hide_in_public_tag_account_and_thread(client, ada, bo):
    _filter(ada, "exam", action="hide")
    root = make_post(bo, "Tips for #maths")
    reply = make_post(bo, "Exam #maths tips", in_reply_to=root)
    other = make_post(bo, "Fine #maths reply", in_reply_to=root)
    hidden = str(reply.pk)
    me = bearer(ada)
    for path in (
        "/api/v1/timelines/public",
        "/api/v1/timelines/tag/maths",
        f"/api/v1/accounts/{bo.pk}/statuses",
    ):
        ids = _ids(client.get(path, **me))
        assert hidden not in ids, path
        assert str(other.pk) in ids, path
        assert hidden in _ids(client.get(path)), path  # signed out: no filters
    context = client.get(f"/api/v1/statuses/{root.pk}/context", **me).json()
    assert [item["id"] for item in context["descendants"]] == [str(other.pk)]


def test_a_reshare_of_a_hidden_post_is_hidden(client, ada, bo, cy, run_jobs):
    follow_create(actor=ada, target=cy)
    original = make_post(bo, "Exam tips")
    reblog_create(actor=cy, status=original)
    run_jobs()
    _filter(ada, "exam", action="hide")
    assert _ids(client.get("/api/v1/timelines/home", **bearer(ada))) == []


def test_hide_in_notifications(client, ada, bo, run_jobs):
    exam = make_post(bo, "@ada Exam tips")
    plain = make_post(bo, "@ada Pizza fractions")
    run_jobs()
    _filter(bo, "exam", action="hide", context=("notifications",))  # bo's filter: not ada's
    _filter(ada, "exam", action="hide", context=("home", "public"))  # not in notifications
    assert len(_ids(client.get("/api/v1/notifications", **bearer(ada)))) == 2
    _filter(ada, "exam", action="hide", context=("notifications",))
    response = client.get("/api/v1/notifications?limit=2", **bearer(ada))
    body = response.json()
    assert [item["status"]["id"] for item in body] == [str(plain.pk)]
    assert body[0]["status"]["filtered"] == []
    assert link_params(response)["next"].endswith(f"max_id={min(_notification_ids(ada))}")
    grouped = client.get("/api/v2/notifications", **bearer(ada)).json()
    assert [item["status_id"] for item in grouped["notification_groups"]] == [str(plain.pk)]
    assert str(exam.pk) not in [item["id"] for item in grouped["statuses"]]


def _notification_ids(profile):
    return list(Notification.objects.filter(recipient=profile).values_list("pk", flat=True))


def test_own_posts_are_never_filtered(client, ada):
    _filter(ada, "exam", action="hide")
    mine = make_post(ada, "Exam tips")
    assert str(mine.pk) in _ids(client.get(f"/api/v1/accounts/{ada.pk}/statuses", **bearer(ada)))


def test_streamed_updates_drop_hidden_and_carry_filtered(ada, bo, cy):
    _filter(ada, "exam", action="hide")
    _filter(cy, "exam", action="warn")
    status = make_post(bo, "Exam tips")
    message = StreamMessage(event=UPDATE, keys=("public",), status_id=status.pk)
    payloads = render_payloads(message, {ada.pk, cy.pk, None})
    assert ada.pk not in payloads
    assert json.loads(payloads[cy.pk])["filtered"][0]["keyword_matches"] == ["exam"]
    assert "filtered" not in json.loads(payloads[None])


def test_filters_changed_reaches_only_the_owner(ada, bo):
    message = StreamMessage(event=FILTERS_CHANGED, keys=(f"user:{ada.pk}",))
    assert render_payloads(message, {ada.pk, bo.pk}) == {ada.pk: ""}


def test_a_change_publishes_filters_changed(ada, monkeypatch, django_capture_on_commit_callbacks):
    sent: list[StreamMessage] = []
    monkeypatch.setattr(broker, "publish", sent.append)
    with django_capture_on_commit_callbacks(execute=True):
        _filter(ada, "exam")
    assert [(item.event, item.keys) for item in sent] == [(FILTERS_CHANGED, (f"user:{ada.pk}",))]
