"""`/api/v1/pln/imports` with a bearer token: upload, list, progress and report, who may see
what, and bad input."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from staffroom.importing.models import ImportJob
from tests.factories import make_profile
from tests.graph.test_api_helpers import bearer

IMPORT_KEYS = {
    "id", "type", "mode", "state", "file_name", "total", "processed", "report",
    "created_at", "started_at", "finished_at",
}  # fmt: skip


def post_import(client, headers, content: bytes, kind="following", mode="merge", name="f.csv"):
    data = {"type": kind, "mode": mode, "file": SimpleUploadedFile(name, content)}
    return client.post("/api/v1/pln/imports", data, **headers)


@pytest.mark.django_db
def test_api_import_upload_progress_and_report(client, ada, bo, run_jobs):
    headers = bearer(ada)
    response = post_import(client, headers, b"bo\nnobody\nfar@far.example\nnot an address\n")
    assert response.status_code == 202, response.content
    body = response.json()
    assert set(body) == IMPORT_KEYS
    assert (body["state"], body["total"], body["processed"]) == ("pending", 4, 1)
    detail = client.get(f"/api/v1/pln/imports/{body['id']}", **headers).json()
    assert detail["issues"] == []  # shown once the import finished
    run_jobs()
    detail = client.get(f"/api/v1/pln/imports/{body['id']}", **headers).json()
    assert detail["state"] == "finished"
    assert detail["processed"] == 4
    assert detail["report"] == {
        "imported": 1, "already": 0, "not_found": 1, "not_on_this_server": 1, "failed": 1,
    }  # fmt: skip
    assert [(issue["line"], issue["outcome"]) for issue in detail["issues"]] == [
        (2, "not_found"),
        (3, "remote"),
        (4, "failed"),
    ]
    assert detail["issues"][2]["value"] == "not an address"
    assert "not an account address" in detail["issues"][2]["reason"]
    listed = client.get("/api/v1/pln/imports", **headers).json()
    assert [item["id"] for item in listed] == [body["id"]]


@pytest.mark.django_db
def test_api_imports_are_private_to_their_owner(client, ada, bo, run_jobs):
    """SECURITY-PLAN A-7, D-3."""
    created = post_import(client, bearer(ada), b"bo\n").json()
    other = bearer(bo)
    response = client.get(f"/api/v1/pln/imports/{created['id']}", **other)
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}
    assert client.get("/api/v1/pln/imports", **other).json() == []
    assert client.get("/api/v1/pln/imports/junk", **other).status_code == 404
    assert client.get("/api/v1/pln/imports/99999999999999999999", **other).status_code == 404


@pytest.mark.django_db
def test_api_import_scopes(client, ada):
    assert client.get("/api/v1/pln/imports").status_code == 401
    read = bearer(ada, "read")
    assert client.get("/api/v1/pln/imports", **read).status_code == 200
    assert post_import(client, read, b"bo\n").status_code == 403
    narrow = bearer(ada, "write:follows")
    assert post_import(client, narrow, b"bo\n").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "kind", "mode", "status", "message"),
    [
        (b"bo\n", "posts", "merge", 422, "type must be one of"),
        (b"bo\n", "following", "replace", 422, "mode must be one of"),
        (b"", "following", "merge", 422, "empty"),
        ("bo\ncaf\u00e9\n".encode("latin-1"), "following", "merge", 422, "not UTF-8"),
        (b"Account address,Hide notifications\nbo,true\n", "following", "merge", 422, "Muted"),
        (b"x" * (2 * 1024 * 1024 + 1), "following", "merge", 413, "too large"),
    ],
)
def test_api_import_bad_input(client, ada, content, kind, mode, status, message):
    response = post_import(client, bearer(ada), content, kind, mode)
    assert response.status_code == status, response.content
    assert message in response.json()["error"]
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_api_import_needs_a_file_and_refuses_a_second_at_once(client, ada):
    headers = bearer(ada)
    missing = client.post("/api/v1/pln/imports", {"type": "following"}, **headers)
    assert missing.status_code == 422
    assert missing.json()["error"] == "Validation failed: File can't be blank"
    assert post_import(client, headers, b"bo\n").status_code == 202
    busy = post_import(client, headers, b"cy\n", kind="blocks")
    assert busy.status_code == 409
    assert "already running" in busy.json()["error"]


@pytest.mark.django_db
def test_api_import_of_50_mb_is_refused_before_it_is_read(client, ada):
    response = client.generic(
        "POST",
        "/api/v1/pln/imports",
        data=b"x",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
        **bearer(ada),
    )
    assert response.status_code == 413
    assert "too large" in response.json()["error"]


@pytest.mark.django_db
def test_api_import_list_query_count_is_constant(client, ada, django_assert_max_num_queries):
    headers = bearer(ada)
    for handle in ("bo", "cy", "dee"):
        make_profile(handle)
    post_import(client, headers, b"bo\ncy\ndee\n")
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/pln/imports", **headers).status_code == 200
