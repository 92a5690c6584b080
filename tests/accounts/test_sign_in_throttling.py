"""Sign-in throttling on the web form: failures count against the account whatever spelling
of it was typed, and against the client address across accounts (SECURITY-PLAN R-1)."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.utils import timezone

from staffroom.accounts.models import StaffRole
from tests.accounts.spellings import SPELLINGS, WRONG, make_casey
from tests.factories import DEFAULT_PASSWORD, make_staff, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login"


@pytest.fixture
def casey():
    return make_casey()


def sign_in(client: Client, login: str, password: str, address: str = "127.0.0.1"):
    return client.post(LOGIN, {"username": login, "password": password}, REMOTE_ADDR=address)


def assert_paused(response) -> None:
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many sign-in attempts" in page
    assert "Signing in is paused" in page
    assert int(response["Retry-After"]) > 0


def lock_with_every_spelling(client: Client, settings) -> None:
    """One wrong guess per spelling; the limit is the number of spellings."""
    settings.AXES_FAILURE_LIMIT = len(SPELLINGS)
    for spelling in SPELLINGS[:-1]:
        response = sign_in(client, spelling, WRONG)
        assert response.status_code == 200, spelling
        assert "do not match" in response.content.decode()
    assert_paused(sign_in(client, SPELLINGS[-1], WRONG))


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_guesses_in_every_spelling_lock_the_account_for_every_spelling(
    client, casey, settings, spelling
):
    lock_with_every_spelling(client, settings)
    response = sign_in(client, spelling, DEFAULT_PASSWORD)
    assert_paused(response)
    assert SESSION_KEY not in client.session


def test_the_lock_lifts_after_the_cool_off(client, casey, settings):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        lock_with_every_spelling(client, settings)
        traveller.shift(timedelta(minutes=14))
        assert_paused(sign_in(client, "CASEY", DEFAULT_PASSWORD))
        # Each try while locked starts the cool-off again.
        traveller.shift(timedelta(minutes=16))
        response = sign_in(client, "CASEY", DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(casey.pk)


def test_the_lock_follows_the_account_to_any_address(casey, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for address, spelling in [("198.51.100.1", "casey"), ("198.51.100.2", "@CASEY")]:
        assert sign_in(Client(), spelling, WRONG, address).status_code == 200
    assert_paused(sign_in(Client(), "casey@school.example", WRONG, "198.51.100.3"))
    assert_paused(sign_in(Client(), "Casey", DEFAULT_PASSWORD, "198.51.100.4"))


def test_a_successful_sign_in_in_any_spelling_clears_every_spellings_failures(
    client, casey, settings
):
    settings.AXES_FAILURE_LIMIT = 5
    for spelling in ["CASEY", "@casey", "Casey@School.Example", "CASEY"]:
        assert sign_in(client, spelling, WRONG).status_code == 200
    assert sign_in(client, " casey ", DEFAULT_PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert sign_in(client, "CASEY", WRONG).status_code == 200
    assert_paused(sign_in(client, "@casey", WRONG))


def test_unknown_names_are_locked_per_normalised_spelling_like_accounts(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    assert sign_in(client, "nobody", WRONG).status_code == 200
    assert sign_in(client, "@NoBody", WRONG).status_code == 200
    assert_paused(sign_in(client, "  NOBODY ", WRONG))
    settings.AXES_FAILURE_LIMIT = 2
    assert sign_in(client, "nobody@school.example", WRONG).status_code == 200
    assert_paused(sign_in(client, "NoBody@School.Example", WRONG))


def test_one_address_guessing_across_accounts_is_paused_at_its_own_limit(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.STAFFROOM_LOGIN_ADDRESS_FAILURE_LIMIT = 6
    users = [make_user(handle=f"teacher{n}") for n in range(7)]
    attacker = Client()
    for user in users[:5]:
        assert sign_in(attacker, user.profile.handle, WRONG, "203.0.113.9").status_code == 200
    # Unknown names count toward the address too.
    assert_paused(sign_in(attacker, "no-such-teacher", WRONG, "203.0.113.9"))
    # The right password of another account is refused from that address...
    assert_paused(sign_in(attacker, "teacher6", DEFAULT_PASSWORD, "203.0.113.9"))
    # ...while the same account signs in from elsewhere.
    assert sign_in(Client(), "teacher6", DEFAULT_PASSWORD, "203.0.113.10").status_code == 302


def test_signing_in_to_an_own_account_does_not_clear_the_addresss_count(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.STAFFROOM_LOGIN_ADDRESS_FAILURE_LIMIT = 4
    make_user(handle="mine")
    targets = [make_user(handle=f"target{n}") for n in range(4)]
    attacker = Client()
    for user in targets[:3]:
        assert sign_in(attacker, user.profile.handle, WRONG, "203.0.113.9").status_code == 200
    assert sign_in(attacker, "mine", DEFAULT_PASSWORD, "203.0.113.9").status_code == 302
    attacker.logout()
    assert_paused(sign_in(attacker, "target3", WRONG, "203.0.113.9"))


def test_the_address_limit_keys_on_the_real_address_not_a_forwarded_header(settings):
    settings.STAFFROOM_LOGIN_ADDRESS_FAILURE_LIMIT = 3
    for n in range(3):
        make_user(handle=f"staff{n}")
    attacker = Client()
    for n in range(2):
        response = attacker.post(
            LOGIN,
            {"username": f"staff{n}", "password": WRONG},
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
        assert response.status_code == 200
    assert_paused(
        attacker.post(
            LOGIN,
            {"username": "staff2", "password": WRONG},
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR="192.0.2.99",
        )
    )


def test_the_admin_sign_in_shares_the_accounts_lock(client, settings):
    admin = make_staff("boss", StaffRole.ADMIN)
    settings.AXES_FAILURE_LIMIT = 3
    assert sign_in(client, "BOSS", WRONG).status_code == 200
    assert sign_in(client, "@boss", WRONG).status_code == 200
    response = client.post(
        "/admin/login/", {"username": admin.email.upper(), "password": WRONG}, follow=False
    )
    assert_paused(response)
    response = client.post("/admin/login/", {"username": admin.email, "password": DEFAULT_PASSWORD})
    assert_paused(response)
    assert SESSION_KEY not in client.session


def change_password(client: Client, old_password: str):
    new = "a brand new passphrase"
    return client.post(
        "/settings/password",
        {"old_password": old_password, "new_password1": new, "new_password2": new},
    )


def delete_account(client: Client, password: str):
    return client.post("/settings/delete", {"password": password, "confirm_handle": "casey"})


@pytest.mark.parametrize("confirm", [change_password, delete_account])
def test_password_guesses_in_a_signed_in_session_count_toward_the_accounts_lock(
    client_for, casey, settings, confirm
):
    settings.AXES_FAILURE_LIMIT = 3
    session = client_for(casey)
    assert sign_in(Client(), "CASEY", WRONG).status_code == 200
    response = confirm(session, WRONG)
    assert response.status_code in {200, 403}
    assert "password" in response.content.decode()
    assert_paused(confirm(session, WRONG))
    # The right password is refused there, and at sign-in, while the lock holds.
    assert_paused(confirm(session, DEFAULT_PASSWORD))
    assert_paused(sign_in(Client(), "casey@school.example", DEFAULT_PASSWORD))
    casey.refresh_from_db()
    assert casey.is_active
    assert casey.check_password(DEFAULT_PASSWORD)
