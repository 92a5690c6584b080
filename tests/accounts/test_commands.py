import pytest
from django.core.management import CommandError, call_command

from staffroom.accounts.models import User


@pytest.mark.django_db
def test_createsuperuser_noinput_creates_verified_admin_with_profile(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "head teacher passphrase")
    call_command(
        "createsuperuser", "--noinput", "--email", "head@school.example", "--handle", "HeadT"
    )
    admin = User.objects.get()
    assert admin.is_superuser
    assert admin.is_staff
    assert admin.is_email_verified
    assert admin.profile.handle == "HeadT"
    assert admin.check_password("head teacher passphrase")


@pytest.mark.django_db
def test_createsuperuser_refuses_reserved_handle_and_creates_nothing(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "head teacher passphrase")
    with pytest.raises(CommandError, match="reserved"):
        call_command(
            "createsuperuser", "--noinput", "--email", "h@school.example", "--handle", "admin"
        )
    assert not User.objects.exists()


@pytest.mark.django_db
def test_createsuperuser_without_handle_in_noinput_mode_says_what_is_missing():
    with pytest.raises(CommandError, match="--handle"):
        call_command("createsuperuser", "--noinput", "--email", "h@school.example")
