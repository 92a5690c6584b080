"""Mastodon's filter routes through the real API stack: shapes, v1 and v2, scopes, who may
see and change what, bad input (422, nothing written)."""

from __future__ import annotations

import pytest

from staffroom.filters.models import FILTERS_MAX, Filter, FilterKeyword, FilterStatus
from staffroom.filters.services import KeywordChange, filter_create
from staffroom.posts.models import Visibility
from tests.factories import make_post
from tests.graph.test_api_helpers import bearer, call

pytestmark = pytest.mark.django_db

FILTER_KEYS = {"id", "title", "context", "expires_at", "filter_action", "keywords", "statuses"}
V1_KEYS = {"id", "phrase", "context", "expires_at", "irreversible", "whole_word"}


def _create(client, who, **body):
    payload = {"title": "Exams", "context": ["home", "public"], **body}
    return call(client, "POST", "/api/v2/filters", bearer(who), payload)


def test_create_answers_a_mastodon_filter(client, ada):
    response = _create(
        client,
        ada,
        filter_action="hide",
        expires_in=3600,
        keywords_attributes=[{"keyword": "exam", "whole_word": False}, {"keyword": "grading"}],
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == FILTER_KEYS
    assert body["title"] == "Exams"
    assert body["context"] == ["home", "public"]
    assert body["filter_action"] == "hide"
    assert body["expires_at"].endswith("Z")
    assert [(k["keyword"], k["whole_word"]) for k in body["keywords"]] == [
        ("exam", False),
        ("grading", True),
    ]
    assert body["statuses"] == []
    listed = client.get("/api/v2/filters", **bearer(ada)).json()
    assert [item["id"] for item in listed] == [body["id"]]
    assert client.get(f"/api/v2/filters/{body['id']}", **bearer(ada)).json() == body


def test_create_reads_a_rails_form_body(client, ada):
    form = (
        "title=Form&context[]=thread&context[]=notifications&filter_action=warn"
        "&keywords_attributes[0][keyword]=pizza&keywords_attributes[0][whole_word]=false"
        "&expires_in="
    )
    response = client.post(
        "/api/v2/filters", form, content_type="application/x-www-form-urlencoded", **bearer(ada)
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["context"] == ["notifications", "thread"]
    assert body["expires_at"] is None
    assert body["keywords"][0]["keyword"] == "pizza"
    assert body["keywords"][0]["whole_word"] is False


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"title": ""}, "Title can't be blank"),
        ({"context": []}, "Context can't be blank"),
        ({"context": ["home", "everywhere"]}, "invalid context"),
        ({"filter_action": "explode"}, "Filter action"),
        ({"expires_in": -5}, "Expires in"),
        ({"keywords_attributes": [{"keyword": " "}]}, "keyword can't be blank"),
        ({"keywords_attributes": [{"keyword": "x" * 513}]}, "too long"),
        ({"keywords_attributes": [{"keyword": f"w{n}"} for n in range(10_000)]}, "at most 1000"),
    ],
)
def test_bad_input_is_a_clear_422_and_writes_nothing(client, ada, body, message):
    response = _create(client, ada, **body)
    assert response.status_code == 422
    assert message in response.json()["error"]
    assert not Filter.objects.exists()
    assert not FilterKeyword.objects.exists()


def test_junk_types_are_a_422_not_a_500(client, ada):
    for body in ({"expires_in": "soon"}, {"context": {"a": 1}}, {"keywords_attributes": "x"}):
        response = _create(client, ada, **body)
        assert response.status_code in (400, 422)
        assert "error" in response.json()


def test_at_most_filters_max(client, ada):
    Filter.objects.bulk_create(
        Filter(account=ada, title=f"f{n}", context=["home"]) for n in range(FILTERS_MAX)
    )
    response = _create(client, ada)
    assert response.status_code == 422
    assert "at most 100 filters" in response.json()["error"]
    assert Filter.objects.count() == FILTERS_MAX


def test_update_changes_what_is_given_and_keywords_attributes(client, ada):
    made = _create(
        client, ada, keywords_attributes=[{"keyword": "exam"}, {"keyword": "test"}]
    ).json()
    exam, test = made["keywords"]
    response = call(
        client,
        "PUT",
        f"/api/v2/filters/{made['id']}",
        bearer(ada),
        {
            "title": "Renamed",
            "keywords_attributes": [
                {"id": exam["id"], "keyword": "exams", "whole_word": False},
                {"id": test["id"], "_destroy": True},
                {"keyword": "quiz"},
            ],
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Renamed"
    assert body["context"] == ["home", "public"]  # not given: kept
    assert [(k["keyword"], k["whole_word"]) for k in body["keywords"]] == [
        ("exams", False),
        ("quiz", True),
    ]


def test_a_bad_update_writes_nothing(client, ada):
    made = _create(client, ada, keywords_attributes=[{"keyword": "exam"}]).json()
    response = call(
        client,
        "PUT",
        f"/api/v2/filters/{made['id']}",
        bearer(ada),
        {"title": "Renamed", "keywords_attributes": [{"keyword": "ok"}, {"keyword": ""}]},
    )
    assert response.status_code == 422
    assert client.get(f"/api/v2/filters/{made['id']}", **bearer(ada)).json() == made


def test_keyword_routes(client, ada):
    made = _create(client, ada).json()
    added = call(
        client,
        "POST",
        f"/api/v2/filters/{made['id']}/keywords",
        bearer(ada),
        {"keyword": "homework", "whole_word": False},
    ).json()
    assert set(added) == {"id", "keyword", "whole_word"}
    assert added["whole_word"] is False
    listed = client.get(f"/api/v2/filters/{made['id']}/keywords", **bearer(ada)).json()
    assert listed == [added]
    assert client.get(f"/api/v2/filters/keywords/{added['id']}", **bearer(ada)).json() == added
    changed = call(
        client, "PUT", f"/api/v2/filters/keywords/{added['id']}", bearer(ada), {"keyword": "hw"}
    ).json()
    assert (changed["keyword"], changed["whole_word"]) == ("hw", False)
    response = call(client, "DELETE", f"/api/v2/filters/keywords/{added['id']}", bearer(ada))
    assert (response.status_code, response.json()) == (200, {})
    assert not FilterKeyword.objects.exists()


def test_status_routes(client, ada, bo):
    made = _create(client, ada).json()
    status = make_post(bo, "Filter me")
    added = call(
        client,
        "POST",
        f"/api/v2/filters/{made['id']}/statuses",
        bearer(ada),
        {"status_id": str(status.pk)},
    ).json()
    assert added == {"id": added["id"], "status_id": str(status.pk)}
    listed = client.get(f"/api/v2/filters/{made['id']}/statuses", **bearer(ada)).json()
    assert listed == [added]
    assert client.get(f"/api/v2/filters/statuses/{added['id']}", **bearer(ada)).json() == added
    response = call(client, "DELETE", f"/api/v2/filters/statuses/{added['id']}", bearer(ada))
    assert response.status_code == 200
    assert not FilterStatus.objects.exists()


def test_a_post_the_teacher_may_not_see_cannot_be_filtered(client, ada, bo):
    made = _create(client, ada).json()
    hidden = make_post(bo, "Followers only", visibility=Visibility.FOLLOWERS)
    response = call(
        client,
        "POST",
        f"/api/v2/filters/{made['id']}/statuses",
        bearer(ada),
        {"status_id": str(hidden.pk)},
    )
    assert response.status_code == 404
    assert not FilterStatus.objects.exists()


def test_someone_elses_filter_is_a_404_everywhere(client, ada, bo):
    """SECURITY-PLAN A-7."""
    theirs = filter_create(
        actor=bo, title="Mine", context=["home"], keywords=[KeywordChange(keyword="secret")]
    )
    keyword = theirs.keywords.all()[0]
    status = make_post(ada, "x")
    row = FilterStatus.objects.create(filter=theirs, status=status)
    me = bearer(ada)
    assert client.get("/api/v2/filters", **me).json() == []
    assert client.get("/api/v1/filters", **me).json() == []
    for method, path in [
        ("GET", f"/api/v2/filters/{theirs.pk}"),
        ("PUT", f"/api/v2/filters/{theirs.pk}"),
        ("DELETE", f"/api/v2/filters/{theirs.pk}"),
        ("GET", f"/api/v2/filters/{theirs.pk}/keywords"),
        ("POST", f"/api/v2/filters/{theirs.pk}/keywords"),
        ("GET", f"/api/v2/filters/{theirs.pk}/statuses"),
        ("GET", f"/api/v2/filters/keywords/{keyword.pk}"),
        ("PUT", f"/api/v2/filters/keywords/{keyword.pk}"),
        ("DELETE", f"/api/v2/filters/keywords/{keyword.pk}"),
        ("GET", f"/api/v2/filters/statuses/{row.pk}"),
        ("DELETE", f"/api/v2/filters/statuses/{row.pk}"),
        ("GET", f"/api/v1/filters/{keyword.pk}"),
        ("PUT", f"/api/v1/filters/{keyword.pk}"),
        ("DELETE", f"/api/v1/filters/{keyword.pk}"),
        ("GET", "/api/v2/filters/nonsense"),
    ]:
        response = call(client, method, path, me, {"keyword": "x", "title": "x"})
        assert response.status_code == 404, (method, path)
        assert response.json() == {"error": "Record not found"}
    assert Filter.objects.get().title == "Mine"
    assert FilterKeyword.objects.get().keyword == "secret"


def test_scopes(client, ada):
    assert client.get("/api/v2/filters").status_code == 401
    reader = bearer(ada, "read:filters")
    assert client.get("/api/v2/filters", **reader).status_code == 200
    assert _create(client, ada).status_code == 200
    denied = call(client, "POST", "/api/v2/filters", reader, {"title": "x", "context": ["home"]})
    assert denied.status_code == 403
    other = bearer(ada, "read:statuses")
    assert client.get("/api/v1/filters", **other).status_code == 403


def test_delete_takes_keywords_and_posts_with_it(client, ada):
    made = _create(client, ada, keywords_attributes=[{"keyword": "x"}]).json()
    response = call(client, "DELETE", f"/api/v2/filters/{made['id']}", bearer(ada))
    assert (response.status_code, response.json()) == (200, {})
    assert not Filter.objects.exists()
    assert not FilterKeyword.objects.exists()


# --- v1 -------------------------------------------------------------------------------------


def test_v1_filters_are_keywords(client, ada):
    response = call(
        client,
        "POST",
        "/api/v1/filters",
        bearer(ada),
        {"phrase": "exam", "context": ["home"], "irreversible": True, "whole_word": False},
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == V1_KEYS
    assert body["phrase"] == "exam"
    assert body["irreversible"] is True
    assert body["whole_word"] is False
    v2 = client.get("/api/v2/filters", **bearer(ada)).json()
    assert v2[0]["title"] == "exam"
    assert v2[0]["filter_action"] == "hide"
    assert v2[0]["keywords"][0]["id"] == body["id"]
    assert client.get("/api/v1/filters", **bearer(ada)).json() == [body]
    changed = call(
        client,
        "PUT",
        f"/api/v1/filters/{body['id']}",
        bearer(ada),
        {"phrase": "exams", "context": ["home", "thread"], "irreversible": False},
    ).json()
    assert changed["phrase"] == "exams"
    assert changed["context"] == ["home", "thread"]
    assert changed["irreversible"] is False
    assert changed["whole_word"] is False
    assert call(client, "DELETE", f"/api/v1/filters/{body['id']}", bearer(ada)).json() == {}
    assert not Filter.objects.exists()


def test_v1_bad_input(client, ada):
    for body in ({"phrase": "", "context": ["home"]}, {"phrase": "x", "context": []}):
        response = call(client, "POST", "/api/v1/filters", bearer(ada), body)
        assert response.status_code == 422
        assert "error" in response.json()
    assert not Filter.objects.exists()
