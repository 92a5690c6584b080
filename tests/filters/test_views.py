"""Settings → Filters pages: list, make, change, delete; refusals with the reason; another
teacher's filter is a 404; the feeds fold `warn` matches and leave out `hide` ones."""

from __future__ import annotations

import pytest

from staffroom.filters.models import Filter, FilterKeyword
from staffroom.filters.services import KeywordChange, filter_create
from tests.factories import make_post

pytestmark = pytest.mark.django_db


def _form(**fields):
    data = {
        "title": "Exams",
        "context": ["home", "public"],
        "action": "warn",
        "expires": "never",
        "keywords-TOTAL_FORMS": "3",
        "keywords-INITIAL_FORMS": "0",
        "keywords-0-keyword": "exam",
        "keywords-0-whole_word": "on",
        "keywords-1-keyword": "grading",
    }
    data.update(fields)
    return data


def test_the_empty_page(client_for, ada):
    page = client_for(ada.user).get("/settings/filters")
    assert page.status_code == 200
    assert "You have no filters yet." in page.content.decode()


def test_make_a_filter(client_for, ada):
    client = client_for(ada.user)
    response = client.post("/settings/filters/new", _form(expires="3600"))
    assert response.status_code == 302
    made = Filter.objects.get()
    assert (made.title, made.context, made.action) == ("Exams", ["home", "public"], "warn")
    assert made.expires_at is not None
    assert [(k.keyword, k.whole_word) for k in made.keywords.order_by("id")] == [
        ("exam", True),
        ("grading", False),
    ]
    page = client.get("/settings/filters").content.decode()
    assert "Exams" in page
    assert "Expires in" in page


def test_a_refused_form_says_why_and_writes_nothing(client_for, ada):
    client = client_for(ada.user)
    response = client.post("/settings/filters/new", _form(context=[]))
    assert response.status_code == 422
    assert "Choose at least one place" in response.content.decode()
    response = client.post("/settings/filters/new", _form(**{"keywords-0-keyword": "x" * 600}))
    assert response.status_code == 422
    assert not Filter.objects.exists()


def test_edit_keeps_removes_and_adds_keywords(client_for, ada):
    made = filter_create(
        actor=ada,
        title="Exams",
        context=["home"],
        keywords=[KeywordChange(keyword="exam"), KeywordChange(keyword="test")],
    )
    exam, test = made.keywords.order_by("id")
    client = client_for(ada.user)
    assert client.get(f"/settings/filters/{made.pk}/edit").status_code == 200
    data = {
        "title": "Renamed",
        "context": ["thread"],
        "action": "hide",
        "expires": "keep",
        "keywords-TOTAL_FORMS": "3",
        "keywords-INITIAL_FORMS": "2",
        "keywords-0-id": str(exam.pk),
        "keywords-0-keyword": "exams",
        "keywords-1-id": str(test.pk),
        "keywords-1-keyword": "test",
        "keywords-1-remove": "on",
        "keywords-2-keyword": "quiz",
        "keywords-2-whole_word": "on",
    }
    assert client.post(f"/settings/filters/{made.pk}/edit", data).status_code == 302
    made.refresh_from_db()
    assert (made.title, made.context, made.action) == ("Renamed", ["thread"], "hide")
    assert [(k.keyword, k.whole_word) for k in made.keywords.order_by("id")] == [
        ("exams", False),
        ("quiz", True),
    ]


def test_another_teachers_filter_is_a_404(client_for, ada, bo):
    theirs = filter_create(actor=bo, title="Bo's", context=["home"])
    client = client_for(ada.user)
    assert client.get(f"/settings/filters/{theirs.pk}/edit").status_code == 404
    assert client.post(f"/settings/filters/{theirs.pk}/delete").status_code == 404
    assert Filter.objects.filter(pk=theirs.pk).exists()


def test_delete(client_for, ada):
    made = filter_create(
        actor=ada, title="Exams", context=["home"], keywords=[KeywordChange(keyword="x")]
    )
    assert client_for(ada.user).post(f"/settings/filters/{made.pk}/delete").status_code == 302
    assert not Filter.objects.exists()
    assert not FilterKeyword.objects.exists()


def test_signed_out_is_sent_to_sign_in(client):
    assert client.get("/settings/filters").status_code == 302


def test_the_local_feed_folds_warned_and_leaves_out_hidden(client_for, ada, bo):
    make_post(bo, "Exam season")
    make_post(bo, "Grading weekend")
    make_post(bo, "Pizza fractions")
    filter_create(
        actor=ada, title="Warned", context=["public"], keywords=[KeywordChange(keyword="exam")]
    )
    filter_create(
        actor=ada,
        title="Hidden",
        context=["public"],
        action="hide",
        keywords=[KeywordChange(keyword="grading")],
    )
    page = client_for(ada.user).get("/local").content.decode()
    assert "Filtered: Warned" in page
    assert "Exam season" in page  # inside the folded <details>
    assert "Grading weekend" not in page
    assert "Pizza fractions" in page


def test_thread_and_profile_pages_leave_out_hidden_posts(client_for, ada, bo):
    root = make_post(bo, "Tips for the week")
    make_post(bo, "Exam reply", in_reply_to=root)
    make_post(bo, "Fine reply", in_reply_to=root)
    filter_create(
        actor=ada,
        title="Hidden",
        context=["thread", "account"],
        action="hide",
        keywords=[KeywordChange(keyword="exam")],
    )
    client = client_for(ada.user)
    thread = client.get(f"/@bo/{root.pk}").content.decode()
    assert "Fine reply" in thread
    assert "Exam reply" not in thread
    profile = client.get("/@bo").content.decode()
    assert "Fine reply" in profile
    assert "Exam reply" not in profile
