"""Account deletion: the request, the job and the handle that stays reserved."""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.core.files.storage import default_storage

from staffroom.accounts.models import User
from staffroom.core.models import Job
from staffroom.leaving.deletion import account_delete_run, deletion_parts
from staffroom.leaving.models import ExportRequest, ReservedHandle
from staffroom.leaving.services import exports_dir
from staffroom.oauth.models import OAuthApplication
from staffroom.profiles.models import Profile, ProfileTerm
from tests.factories import DEFAULT_PASSWORD

DELETE_URL = "/settings/delete"


def _api_status(client, token: str) -> int:
    response = client.get(
        "/api/v1/accounts/verify_credentials", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    return response.status_code


def test_deletion_parts_are_registered_in_order():
    names = [part.name for part in deletion_parts()]
    assert names[-3:] == ["exports", "applications", "profile"]


def test_delete_page_explains_what_goes_and_what_stays(teacher, client_for):
    page = client_for(teacher.user).get(DELETE_URL).content.decode()
    assert "What stays" in page
    assert "@ada stays reserved" in page
    assert 'name="password"' in page
    assert 'name="confirm_handle"' in page


def test_delete_with_wrong_password_changes_nothing(teacher, client_for, client):
    client = client_for(teacher.user)
    response = client.post(DELETE_URL, {"password": "not it", "confirm_handle": "ada"})
    assert response.status_code == 403
    assert "password is not right" in response.content.decode()
    teacher.user.refresh_from_db()
    assert teacher.user.is_active
    assert not ReservedHandle.objects.exists()
    assert not Job.objects.filter(task_path__endswith="account_delete_task").exists()
    assert _api_status(client, teacher.token) == 200


def test_delete_with_wrong_handle_changes_nothing(teacher, client_for):
    client = client_for(teacher.user)
    response = client.post(DELETE_URL, {"password": DEFAULT_PASSWORD, "confirm_handle": "grace"})
    assert response.status_code == 422
    assert "not your handle" in response.content.decode()
    teacher.user.refresh_from_db()
    assert teacher.user.is_active


def test_delete_end_to_end(teacher, colleague, client_for, client, run_jobs):
    """SECURITY-PLAN D-4."""
    client = client_for(teacher.user)
    client.post("/settings/export")
    run_jobs()
    export = ExportRequest.objects.get(user=teacher.user)
    images = [teacher.profile.avatar, teacher.profile.header]
    assert all(default_storage.exists(name) for name in images)

    response = client.post(DELETE_URL, {"password": DEFAULT_PASSWORD, "confirm_handle": "@Ada"})
    assert response.status_code == 302
    assert response["Location"] == "/goodbye"
    assert SESSION_KEY not in client.session
    # At once: sign-in refused, tokens dead, handle reserved.
    assert not User.objects.get(pk=teacher.user.pk).is_active
    assert _api_status(client, teacher.token) == 401
    sign_in = client.post("/accounts/login", {"username": "ada", "password": DEFAULT_PASSWORD})
    assert sign_in.status_code != 302
    assert ReservedHandle.objects.filter(handle="ada").exists()

    run_jobs()
    assert not User.objects.filter(pk=teacher.user.pk).exists()
    assert not Profile.objects.filter(pk=teacher.profile.pk).exists()
    assert not ProfileTerm.objects.filter(profile_id=teacher.profile.pk).exists()
    assert not any(default_storage.exists(name) for name in images)
    assert not OAuthApplication.objects.filter(name="ada's script").exists()
    assert not ExportRequest.objects.filter(pk=export.pk).exists()
    assert list(exports_dir().iterdir()) == []
    assert _api_status(client, teacher.token) == 401
    # The colleague is untouched.
    colleague.profile.refresh_from_db()
    assert colleague.profile.display_name == "grace the teacher"
    assert default_storage.exists(colleague.profile.avatar)
    assert _api_status(client, colleague.token) == 200
    assert OAuthApplication.objects.filter(name="grace's script").exists()


def test_deleted_handle_cannot_be_registered_again(teacher, client_for, client, run_jobs):
    """SECURITY-PLAN D-4."""
    client_for(teacher.user).post(
        DELETE_URL, {"password": DEFAULT_PASSWORD, "confirm_handle": "ada"}
    )
    run_jobs()
    response = client.post(
        "/accounts/signup",
        {"email": "new@school.example", "handle": "ADA", "password": "paint brush canvas"},
    )
    assert response.status_code == 422
    assert "is taken" in response.content.decode()
    assert not User.objects.filter(email="new@school.example").exists()


def test_account_delete_job_is_idempotent(teacher, client_for, run_jobs):
    """SECURITY-PLAN D-4."""
    client_for(teacher.user).post(
        DELETE_URL, {"password": DEFAULT_PASSWORD, "confirm_handle": "ada"}
    )
    run_jobs()
    assert account_delete_run(user_id=teacher.user.pk) is False
    assert ReservedHandle.objects.get(handle="ada").deleted_at is not None


def test_account_delete_run_refuses_an_active_account(teacher):
    assert account_delete_run(user_id=teacher.user.pk) is False
    assert User.objects.filter(pk=teacher.user.pk).exists()


def test_account_delete_parts_can_run_twice(teacher, client_for):
    from staffroom.leaving.deletion import account_delete_request

    account_delete_request(user=teacher.user, password=DEFAULT_PASSWORD)
    for part in deletion_parts():  # a crash after the parts, before the user row went
        part.func(teacher.user)
    assert account_delete_run(user_id=teacher.user.pk) is True
    assert not User.objects.filter(pk=teacher.user.pk).exists()
