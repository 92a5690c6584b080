import json

import pytest
from django.core.exceptions import BadRequest
from django.http import QueryDict
from django.test import RequestFactory

from staffroom.core.api.input import fold, request_data
from staffroom.oauth.services import personal_token_create


def test_fold_turns_bracket_keys_into_lists():
    data = QueryDict("media_ids[]=1&media_ids[]=2&status=hi")
    assert fold(data) == {"media_ids": ["1", "2"], "status": "hi"}


def test_fold_turns_indexed_keys_into_a_list_of_objects_in_order():
    data = QueryDict(
        "fields_attributes[1][name]=Grade&fields_attributes[1][value]=7"
        "&fields_attributes[0][name]=Subject&fields_attributes[0][value]=Math"
    )
    assert fold(data) == {
        "fields_attributes": [
            {"name": "Subject", "value": "Math"},
            {"name": "Grade", "value": "7"},
        ]
    }


def test_fold_keeps_named_nesting_as_objects():
    assert fold(QueryDict("poll[options][]=a&poll[options][]=b&poll[expires_in]=60")) == {
        "poll": {"options": ["a", "b"], "expires_in": "60"}
    }


def test_fold_refuses_conflicting_shapes_and_deep_nesting():
    with pytest.raises(BadRequest):
        fold(QueryDict("a=1&a[b]=2"))
    with pytest.raises(BadRequest, match="nested too deeply"):
        fold(QueryDict("a[b][c][d][e][f][g]=1"))
    with pytest.raises(BadRequest, match="too many items"):
        fold(QueryDict("ids[5000]=1"))


def test_fold_keeps_the_last_value_of_a_repeated_plain_key():
    assert fold(QueryDict("visibility=public&visibility=private")) == {"visibility": "private"}


def test_request_data_merges_query_string_under_a_json_body():
    request = RequestFactory().post(
        "/api/v1/x?visibility=public&language=en",
        data=json.dumps({"status": "hi", "visibility": "unlisted"}),
        content_type="application/json",
    )
    assert request_data(request) == {"status": "hi", "visibility": "unlisted", "language": "en"}


def test_request_data_reads_a_form_encoded_patch():
    request = RequestFactory().patch(
        "/api/v1/x",
        data="display_name=Ms+K&fields_attributes[0][name]=Subject",
        content_type="application/x-www-form-urlencoded",
    )
    assert request_data(request) == {
        "display_name": "Ms K",
        "fields_attributes": [{"name": "Subject"}],
    }


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b"\xff\xfe"])
def test_request_data_refuses_malformed_or_non_object_json(body):
    request = RequestFactory().post("/api/v1/x", data=body, content_type="application/json")
    with pytest.raises(BadRequest):
        request_data(request)


DEEP_JSON = "[" * 1000 + "]" * 1000


def test_json_nested_a_thousand_deep_is_a_bad_request_not_a_crash():
    request = RequestFactory().post("/api/v1/apps", DEEP_JSON, content_type="application/json")
    with pytest.raises(BadRequest, match="nested too deeply"):
        request_data(request)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "signed_in"),
    [("/api/v1/apps", False), ("/api/v1/statuses", True), ("/oauth/token", False)],
)
def test_json_nested_a_thousand_deep_answers_400_on_json_routes(client, user, path, signed_in):
    """Parsed before authentication: a signed-out request must get a 400 too
    (SECURITY-PLAN R-3)."""
    headers = {}
    if signed_in:
        token = personal_token_create(user=user, scopes="write").raw_token
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    response = client.post(path, DEEP_JSON, content_type="application/json", **headers)
    assert response.status_code == 400
    assert "nested too deeply" in json.dumps(response.json())
