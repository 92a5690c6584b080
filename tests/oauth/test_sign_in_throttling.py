"""OAuth's password grant is throttled as the web form is: per account whatever spelling
was typed, per client address across accounts, with the web form's count shared
(SECURITY-PLAN R-1)."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.accounts.spellings import SPELLINGS, WRONG, make_casey
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.oauth.test_oauth_flow import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def casey():
    return make_casey()


@pytest.fixture
def app(client):
    return register(client)


def grant(app, login: str, password: str, address: str = "127.0.0.1"):
    return Client().post(
        "/oauth/token",
        {
            "grant_type": "password",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "username": login,
            "password": password,
            "scope": "read",
        },
        REMOTE_ADDR=address,
    )


def assert_paused(response) -> None:
    assert response.status_code == 429
    body = response.json()
    assert body["error"] == "invalid_grant"
    assert "Signing in is paused" in body["error_description"]
    assert "access_token" not in body
    assert int(response["Retry-After"]) > 0


def lock_with_every_spelling(app, settings) -> None:
    settings.AXES_FAILURE_LIMIT = len(SPELLINGS)
    for spelling in SPELLINGS[:-1]:
        response = grant(app, spelling, WRONG)
        assert response.status_code == 400, spelling
        assert "do not match" in response.json()["error_description"]
    assert_paused(grant(app, SPELLINGS[-1], WRONG))


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_password_grant_guesses_in_every_spelling_lock_the_account_for_every_spelling(
    app, casey, settings, spelling
):
    lock_with_every_spelling(app, settings)
    assert_paused(grant(app, spelling, DEFAULT_PASSWORD))


def test_password_grant_lock_lifts_after_the_cool_off(app, casey, settings):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        lock_with_every_spelling(app, settings)
        traveller.shift(timedelta(minutes=16))
        response = grant(app, "@CASEY", DEFAULT_PASSWORD)
    assert response.status_code == 200
    assert response.json()["access_token"]


def test_web_and_password_grant_failures_count_toward_one_lock(app, casey, settings):
    settings.AXES_FAILURE_LIMIT = 3
    web = Client()
    assert web.post("/accounts/login", {"username": "CASEY", "password": WRONG}).status_code == 200
    assert grant(app, "@casey", WRONG).status_code == 400
    assert (
        web.post(
            "/accounts/login", {"username": "Casey@School.Example", "password": WRONG}
        ).status_code
        == 429
    )
    assert_paused(grant(app, "casey", DEFAULT_PASSWORD))


def test_a_granted_token_clears_the_accounts_failures(app, casey, settings):
    settings.AXES_FAILURE_LIMIT = 3
    assert grant(app, "CASEY", WRONG).status_code == 400
    assert grant(app, "@Casey", WRONG).status_code == 400
    assert grant(app, "casey@school.example", DEFAULT_PASSWORD).status_code == 200
    assert grant(app, "CASEY", WRONG).status_code == 400
    assert grant(app, "@Casey", WRONG).status_code == 400
    assert_paused(grant(app, "casey", WRONG))


def test_password_grant_from_one_address_across_accounts_is_paused(app, settings):
    settings.STAFFROOM_LOGIN_ADDRESS_FAILURE_LIMIT = 4
    for n in range(5):
        make_user(handle=f"teacher{n}")
    for n in range(3):
        assert grant(app, f"teacher{n}", WRONG, "203.0.113.9").status_code == 400
    assert_paused(grant(app, "teacher3", WRONG, "203.0.113.9"))
    assert_paused(grant(app, "teacher4", DEFAULT_PASSWORD, "203.0.113.9"))
    assert grant(app, "teacher4", DEFAULT_PASSWORD, "203.0.113.10").status_code == 200
