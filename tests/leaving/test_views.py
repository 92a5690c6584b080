"""Settings → Export and Settings → Delete account, as pages."""

from __future__ import annotations

import pytest

from staffroom.leaving.models import ExportRequest


def test_export_page_lists_exports_and_polls_while_pending(teacher, client_for, run_jobs):
    client = client_for(teacher.user)
    page = client.get("/settings/export").content.decode()
    assert "Prepare a new export" in page
    assert 'aria-current="page"' in page
    response = client.post("/settings/export")
    assert response.status_code == 302
    page = client.get("/settings/export").content.decode()
    assert 'hx-trigger="every 3s"' in page
    assert "Refresh" in page
    partial = client.get("/settings/export/list").content.decode()
    assert "Waiting to start" in partial
    run_jobs()
    page = client.get("/settings/export").content.decode()
    assert "every 3s" not in page
    export = ExportRequest.objects.get()
    assert f"/settings/export/{export.pk}/download" in page


def test_export_page_second_request_while_pending_is_409(teacher, client_for):
    client = client_for(teacher.user)
    client.post("/settings/export")
    response = client.post("/settings/export")
    assert response.status_code == 409
    assert "already being prepared" in response.content.decode()
    assert ExportRequest.objects.count() == 1


def test_export_download_is_for_the_owner_only(teacher, colleague, client, client_for, run_jobs):
    """SECURITY-PLAN D-2."""
    client_for(teacher.user).post("/settings/export")
    run_jobs()
    export = ExportRequest.objects.get()
    url = f"/settings/export/{export.pk}/download"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/zip"
    assert b"".join(response.streaming_content)[:2] == b"PK"
    assert client_for(colleague.user).get(url).status_code == 404
    client.logout()
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login" in response["Location"]
    assert client_for(teacher.user).get("/settings/export/999999/download").status_code == 404


@pytest.mark.django_db
def test_goodbye_page_is_public(client):
    assert "Goodbye" in client.get("/goodbye").content.decode()
