"""Settings → Import: the form, refused files, the progress page and its report."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from staffroom.importing.models import ImportJob
from tests.factories import make_profile, make_user


def upload(content: bytes, kind="following", mode="merge", name="following_accounts.csv"):
    return {"type": kind, "mode": mode, "file": SimpleUploadedFile(name, content)}


@pytest.mark.django_db
def test_import_page_empty_state_and_form(client_for, user):
    page = client_for(user).get("/settings/import").content.decode()
    assert "You have not imported anything yet." in page
    assert 'enctype="multipart/form-data"' in page
    assert "Blocked domains (blocked_domains.csv)" in page


@pytest.mark.django_db
def test_import_upload_shows_progress_then_the_report(client_for, user, run_jobs):
    make_profile("bo")
    client = client_for(user)
    response = client.post("/settings/import", upload(b"Account address\nbo\nnobody\n"))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/settings/import/{job.pk}"
    pending = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 2s"' in pending
    assert "0 of 2 rows processed" in pending
    run_jobs()
    done = client.get(f"/settings/import/{job.pk}/progress").content.decode()
    assert "hx-get" not in done  # finished: the block stops polling
    assert "2 of 2 rows processed" in done
    assert "Not found" in done
    assert "nobody" in done
    assert "Try the missing ones again" in done
    listed = client.get("/settings/import").content.decode()
    assert "following_accounts.csv" in listed


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        (upload(b""), 422, "The submitted file is empty."),
        (upload("caf\u00e9\n".encode("latin-1")), 422, "not UTF-8"),
        (upload(b"bo\n", kind="blocks"), 422, "does not look like Blocked accounts"),
        (upload(b"x" * (2 * 1024 * 1024 + 10)), 413, "too large"),
    ],
)
def test_import_refused_files_show_the_form_with_the_reason(
    client_for, user, data, status, message
):
    response = client_for(user).post("/settings/import", data)
    assert response.status_code == status
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_another_teachers_import_is_a_404(client_for, user, run_jobs):
    """SECURITY-PLAN D-3."""
    client = client_for(user)
    client.post("/settings/import", upload(b"bo\n"))
    job = ImportJob.objects.get()
    other = make_user(handle="other")
    other_client = client_for(other)
    assert other_client.get(f"/settings/import/{job.pk}").status_code == 404
    assert other_client.get(f"/settings/import/{job.pk}/progress").status_code == 404
    assert other_client.post(f"/settings/import/{job.pk}/retry").status_code == 404
    assert other_client.get("/settings/import/junk").status_code == 404


@pytest.mark.django_db
def test_import_pages_need_sign_in(client):
    response = client.get("/settings/import")
    assert response.status_code == 302
    assert "login" in response["Location"] or "sign" in response["Location"]


@pytest.mark.django_db
def test_import_page_refuses_50_mb_before_reading_it(client_for, user):
    response = client_for(user).generic(
        "POST",
        "/settings/import",
        data=b"x",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert not ImportJob.objects.exists()
