"""`/api/v1/pln/export` with a bearer token."""

from __future__ import annotations

import pytest

from staffroom.oauth.services import personal_token_create

pytestmark = pytest.mark.urls("tests.leaving.api_urls")


def _auth(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_export_api_request_list_and_download(teacher, colleague, client, run_jobs):
    response = client.post("/api/v1/pln/export", **_auth(teacher.token))
    assert response.status_code == 202
    body = response.json()
    assert body["state"] == "pending"
    assert body["download_url"] is None
    again = client.post("/api/v1/pln/export", **_auth(teacher.token))
    assert again.status_code == 409
    assert "already being prepared" in again.json()["error"]
    run_jobs()
    listed = client.get("/api/v1/pln/export", **_auth(teacher.token)).json()
    assert [item["state"] for item in listed] == ["ready"]
    url = f"/api/v1/pln/export/{body['id']}/download"
    assert listed[0]["download_url"].endswith(url)
    download = client.get(url, **_auth(teacher.token))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    other = client.get(url, **_auth(colleague.token))
    assert other.status_code == 404
    assert other.json() == {"error": "No such export."}
    assert client.get("/api/v1/pln/export", **_auth(colleague.token)).json() == []


def test_export_api_needs_a_token_with_the_read_scope(teacher, client):
    assert client.get("/api/v1/pln/export").status_code == 401
    narrow = personal_token_create(user=teacher.user, scopes="read:accounts").raw_token
    assert client.post("/api/v1/pln/export", **_auth(narrow)).status_code == 403
