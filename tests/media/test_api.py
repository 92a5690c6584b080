"""Mastodon's media routes and media on statuses, through the real API stack."""

from __future__ import annotations

import pytest
from django.test.client import encode_multipart

from staffroom.graph.services import follow_create
from staffroom.media.models import MediaAttachment
from tests.graph.test_api_helpers import bearer, call
from tests.media.conftest import pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db

BOUNDARY = "BoUnDaRy"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
ENTITY_KEYS = {
    "id", "type", "url", "preview_url", "remote_url", "preview_remote_url", "text_url",
    "meta", "description", "blurhash", "pln",
}  # fmt: skip


def post_file(client, path, owner, content, name, **fields):
    body = encode_multipart(BOUNDARY, {"file": upload(content, name), **fields})
    return client.post(path, data=body, content_type=MULTIPART, **bearer(owner))


def test_v1_upload_answers_a_ready_mastodon_media_attachment(client, ada, media_root):
    response = post_file(
        client, "/api/v1/media", ada, png_bytes(), "chart.png", description="A chart",
        focus="0.1,0.2",
    )  # fmt: skip
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == ENTITY_KEYS
    assert body["type"] == "image"
    assert body["url"].startswith("http")
    assert "/media/attachments/" in body["url"]
    assert "/media/previews/" in body["preview_url"]
    assert body["meta"]["original"]["width"] == 64
    assert body["meta"]["focus"] == {"x": 0.1, "y": 0.2}
    assert body["description"] == "A chart"
    assert body["blurhash"]
    assert body["pln"]["kind"] == "image"


def test_v2_upload_of_a_document_answers_202_then_206_then_200(client, ada, media_root, run_jobs):
    response = post_file(client, "/api/v2/media", ada, pdf_bytes(3), "Unit 4 plan.pdf")
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["url"] is None
    assert body["type"] == "unknown"
    detail = call(client, "GET", f"/api/v1/media/{body['id']}", bearer(ada))
    assert detail.status_code == 206
    run_jobs()
    detail = call(client, "GET", f"/api/v1/media/{body['id']}", bearer(ada))
    assert detail.status_code == 200
    ready = detail.json()
    assert ready["url"].endswith("/Unit-4-plan.pdf")
    assert ready["pln"]["format"] == "pdf"
    assert ready["pln"]["pages"] == 3
    assert ready["pln"]["filename"] == "Unit 4 plan.pdf"


def test_a_refused_file_is_a_clear_422_and_keeps_nothing(client, ada, media_root):
    response = post_file(client, "/api/v2/media", ada, b"<html>hi</html>", "cat.png")
    assert response.status_code == 422
    assert "not a kind we can share" in response.json()["error"]
    assert MediaAttachment.objects.count() == 0
    missing = client.post(
        "/api/v2/media", data=encode_multipart(BOUNDARY, {"description": "x"}),
        content_type=MULTIPART, **bearer(ada),
    )  # fmt: skip
    assert missing.status_code == 422


def test_an_oversized_file_is_413(client, ada, media_root, settings):
    settings.STAFFROOM_MEDIA_MAX_BYTES = {**settings.STAFFROOM_MEDIA_MAX_BYTES, "image": 50}
    response = post_file(client, "/api/v2/media", ada, png_bytes(), "big.png")
    assert response.status_code == 413
    assert "too large" in response.json()["error"]


def test_someone_elses_media_is_not_found_on_every_route(client, ada, bo, media_root):
    """SECURITY-PLAN A-7."""
    media_id = post_file(client, "/api/v1/media", ada, png_bytes(), "a.png").json()["id"]
    for method in ("GET", "PUT", "DELETE"):
        response = call(client, method, f"/api/v1/media/{media_id}", bearer(bo), {})
        assert response.status_code == 404, method
    created = call(client, "POST", "/api/v1/statuses", bearer(bo), {"media_ids": [media_id]})
    assert created.status_code == 422
    assert MediaAttachment.objects.get(pk=media_id).description == ""


def test_put_describes_an_unused_upload_and_refuses_a_posts_own(client, ada, media_root):
    media_id = post_file(client, "/api/v1/media", ada, png_bytes(), "a.png").json()["id"]
    changed = call(
        client, "PUT", f"/api/v1/media/{media_id}", bearer(ada),
        {"description": "Seating plan", "focus": "-0.5,0.5"},
    )  # fmt: skip
    assert changed.status_code == 200
    assert changed.json()["description"] == "Seating plan"
    assert changed.json()["meta"]["focus"] == {"x": -0.5, "y": 0.5}
    bad = call(client, "PUT", f"/api/v1/media/{media_id}", bearer(ada), {"focus": "9,9"})
    assert bad.status_code == 422
    call(client, "POST", "/api/v1/statuses", bearer(ada), {"status": "x", "media_ids": [media_id]})
    attached = call(client, "PUT", f"/api/v1/media/{media_id}", bearer(ada), {"description": "y"})
    assert attached.status_code == 404
    deleted = call(client, "DELETE", f"/api/v1/media/{media_id}", bearer(ada))
    assert deleted.status_code == 409


def test_a_status_carries_its_media_and_only_media_filters(client, ada, bo, media_root):
    media_id = post_file(
        client, "/api/v1/media", ada, png_bytes(), "a.png", description="Chart"
    ).json()["id"]
    created = call(
        client, "POST", "/api/v1/statuses", bearer(ada), {"status": "", "media_ids": [media_id]}
    )
    assert created.status_code == 200, created.content
    status = created.json()
    assert [m["id"] for m in status["media_attachments"]] == [media_id]
    assert status["media_attachments"][0]["description"] == "Chart"
    assert status["pln"]["modality"] == "image"
    call(client, "POST", "/api/v1/statuses", bearer(ada), {"status": "words only"})
    only = call(client, "GET", f"/api/v1/accounts/{ada.pk}/statuses?only_media=true", bearer(bo))
    assert [s["id"] for s in only.json()] == [status["id"]]


def test_media_of_a_followers_only_post_reaches_only_followers(
    client, ada, bo, stranger, media_root
):
    follow_create(actor=bo, target=ada)
    media_id = post_file(client, "/api/v1/media", ada, png_bytes(), "a.png").json()["id"]
    status = call(
        client, "POST", "/api/v1/statuses", bearer(ada),
        {"status": "Class photo", "visibility": "private", "media_ids": [media_id]},
    ).json()  # fmt: skip
    for viewer, seen in ((bo, True), (stranger, False)):
        page = call(
            client, "GET", f"/api/v1/accounts/{ada.pk}/statuses?only_media=1", bearer(viewer)
        )
        assert bool(page.json()) is seen
        detail = call(client, "GET", f"/api/v1/statuses/{status['id']}", bearer(viewer))
        assert detail.status_code == (200 if seen else 404)


def test_edit_replaces_media_and_media_attributes_describe_them(client, ada, media_root):
    first = post_file(client, "/api/v1/media", ada, png_bytes(), "a.png").json()["id"]
    second = post_file(client, "/api/v1/media", ada, png_bytes(), "b.png").json()["id"]
    status = call(
        client, "POST", "/api/v1/statuses", bearer(ada), {"status": "x", "media_ids": [first]}
    ).json()
    edited = call(
        client, "PUT", f"/api/v1/statuses/{status['id']}", bearer(ada),
        {
            "status": "y",
            "media_ids": [second, first],
            "media_attributes": [{"id": first, "description": "Now described", "focus": "0,1"}],
        },
    )  # fmt: skip
    assert edited.status_code == 200, edited.content
    attachments = edited.json()["media_attachments"]
    assert [m["id"] for m in attachments] == [second, first]
    assert attachments[1]["description"] == "Now described"


def test_a_token_without_the_media_scope_cannot_upload(client, ada, media_root):
    body = encode_multipart(BOUNDARY, {"file": upload(png_bytes(), "a.png")})
    response = client.post(
        "/api/v2/media", data=body, content_type=MULTIPART, **bearer(ada, "read")
    )
    assert response.status_code == 403
    assert MediaAttachment.objects.count() == 0


def test_public_and_tag_timelines_only_media_keep_public_posts_with_media(client, ada, media_root):
    def with_media(text, visibility="public"):
        media_id = post_file(client, "/api/v1/media", ada, png_bytes(), "a.png").json()["id"]
        body = {"status": text, "media_ids": [media_id], "visibility": visibility}
        return call(client, "POST", "/api/v1/statuses", bearer(ada), body).json()["id"]

    shown = with_media("Chart #fractions")
    with_media("Class photo #fractions", visibility="private")
    call(client, "POST", "/api/v1/statuses", bearer(ada), {"status": "Words #fractions"})
    public = client.get("/api/v1/timelines/public?only_media=true").json()
    assert [status["id"] for status in public] == [shown]
    tagged = client.get("/api/v1/timelines/tag/fractions?only_media=1").json()
    assert [status["id"] for status in tagged] == [shown]
