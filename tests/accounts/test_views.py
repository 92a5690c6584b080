"""The joining pages: sign-up, verification, sign-in, password reset and change."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from staffroom.accounts.models import ApprovalState, User
from staffroom.accounts.selectors import site_configuration
from tests.factories import DEFAULT_PASSWORD, make_user

SIGNUP = {
    "email": "ola@school.example",
    "handle": "OlaTeachesArt",
    "display_name": "Ola",
    "password": "paint brush canvas",
}


def _path_of(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


def _verification_path(message) -> str:
    link = next(word for word in message.body.split() if "/accounts/verify/" in word)
    return _path_of(link)


@pytest.mark.django_db
def test_signup_page_explains_the_handle(client):
    response = client.get("/accounts/signup")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="handle"' in page
    assert "reflect your" in page
    assert 'name="invite_code"' not in page  # only shown in invitation mode


@pytest.mark.django_db
def test_signup_then_verify_then_sign_in(client, run_jobs, mailoutbox):
    response = client.post("/accounts/signup", SIGNUP)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/signup/done"
    assert "ola@school.example" in client.get("/accounts/signup/done").content.decode()
    run_jobs()
    path = _verification_path(mailoutbox[0])
    assert "Confirm my address" in client.get(path).content.decode()
    assert not User.objects.get().is_email_verified  # a GET alone confirms nothing
    response = client.post(path)
    assert response.status_code == 302
    assert User.objects.get().is_email_verified
    response = client.post(
        "/accounts/login", {"username": "olateachesart", "password": SIGNUP["password"]}
    )
    assert response.status_code == 302
    assert client.session[SESSION_KEY]


@pytest.mark.django_db
def test_signup_with_bad_input_shows_every_error_and_saves_nothing(client):
    response = client.post(
        "/accounts/signup", {"email": "not-an-email", "handle": "root", "password": "password"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Enter a valid e-mail address" in page
    assert "is reserved" in page
    assert "too common" in page
    assert not User.objects.exists()


@pytest.mark.django_db
def test_signup_duplicate_email_in_other_case_is_refused(client):
    make_user(handle="first", email="ola@school.example")
    response = client.post("/accounts/signup", {**SIGNUP, "email": "OLA@School.Example"})
    assert response.status_code == 422
    assert "already exists" in response.content.decode()
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_signup_outside_the_domain_allow_list_is_refused_with_the_rule(client):
    config = site_configuration()
    config.allowed_email_domains = "ourdistrict.org"
    config.save()
    assert "ourdistrict.org" in client.get("/accounts/signup").content.decode()
    response = client.post("/accounts/signup", SIGNUP)
    assert response.status_code == 422
    assert "only accepts addresses at ourdistrict.org" in response.content.decode()


@pytest.mark.django_db
def test_signup_is_rate_limited_per_address(client, settings):
    """SECURITY-PLAN R-1."""
    settings.STAFFROOM_RATE_LIMITS = {**settings.STAFFROOM_RATE_LIMITS, "signup": (3, 3600)}
    for _ in range(3):
        assert client.post("/accounts/signup", {"email": "bad"}).status_code == 422
    response = client.post("/accounts/signup", SIGNUP)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many attempts" in response.content.decode()
    assert not User.objects.exists()
    # Another address is not affected.
    other = Client(REMOTE_ADDR="198.51.100.20")
    assert other.post("/accounts/signup", SIGNUP).status_code == 302


@pytest.mark.django_db
def test_signup_in_closed_mode_shows_no_form(client):
    config = site_configuration()
    config.registration_mode = "closed"
    config.save()
    page = client.get("/accounts/signup").content.decode()
    assert "not taking new sign-ups" in page
    assert client.post("/accounts/signup", SIGNUP).status_code == 403
    assert not User.objects.exists()


@pytest.mark.django_db
def test_sign_in_before_verifying_says_to_confirm_the_email(client):
    make_user(handle="fresh", verified=False)
    response = client.post("/accounts/login", {"username": "fresh", "password": DEFAULT_PASSWORD})
    assert response.status_code == 200
    assert "confirm your e-mail address" in response.content.decode()
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_sign_in_while_pending_approval_is_refused_until_approved(client):
    user = make_user(handle="waiting", approval=ApprovalState.PENDING)
    response = client.post("/accounts/login", {"username": "waiting", "password": DEFAULT_PASSWORD})
    assert "not approved your account yet" in response.content.decode()
    User.objects.filter(pk=user.pk).update(approval=ApprovalState.APPROVED)
    response = client.post("/accounts/login", {"username": "waiting", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_sign_in_by_email_works_in_any_case(client):
    make_user(handle="casey", email="casey@school.example")
    response = client.post(
        "/accounts/login", {"username": "Casey@School.Example", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_wrong_passwords_past_the_limit_lock_sign_in(client, settings):
    """SECURITY-PLAN R-1."""
    make_user(handle="target")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/accounts/login", {"username": "target", "password": "wrong!"})
        assert response.status_code == 200
        assert "do not match" in response.content.decode()
    response = client.post("/accounts/login", {"username": "target", "password": "wrong!"})
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()
    # Even the right password is refused while locked.
    response = client.post("/accounts/login", {"username": "target", "password": DEFAULT_PASSWORD})
    assert response.status_code == 429
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_password_reset_link_works_once(client, mailoutbox):
    user = make_user(handle="forgetful")
    response = client.post("/accounts/password/reset", {"email": user.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    link = next(w for w in mailoutbox[0].body.split() if "/accounts/password/reset/" in w)
    assert link.startswith("http://localhost:8000/")  # built from STAFFROOM_DOMAIN, not Host
    response = client.get(_path_of(link), follow=True)
    form_path = response.redirect_chain[-1][0]
    new = {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"}
    assert client.post(form_path, new).status_code == 302
    user.refresh_from_db()
    assert user.check_password("a brand new passphrase")
    # The same link again: refused with a clear message.
    response = Client().get(_path_of(link), follow=True)
    assert "expired or has already been used" in response.content.decode()


@pytest.mark.django_db
def test_password_reset_for_unknown_address_looks_the_same(client, mailoutbox):
    response = client.post("/accounts/password/reset", {"email": "nobody@school.example"})
    assert response.status_code == 302
    assert mailoutbox == []


@pytest.mark.django_db
def test_password_reset_is_rate_limited(client, settings):
    """SECURITY-PLAN R-1."""
    settings.STAFFROOM_RATE_LIMITS = {**settings.STAFFROOM_RATE_LIMITS, "password-reset": (2, 60)}
    for _ in range(2):
        client.post("/accounts/password/reset", {"email": "x@school.example"})
    response = client.post("/accounts/password/reset", {"email": "x@school.example"})
    assert response.status_code == 429


@pytest.mark.django_db
def test_password_change_ends_other_sessions(client_for, user):
    """SECURITY-PLAN A-5."""
    other_device = Client()
    other_device.force_login(user, backend="staffroom.accounts.backends.EmailOrHandleBackend")
    client = client_for(user)
    response = client.post(
        "/settings/password",
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": "another long passphrase",
            "new_password2": "another long passphrase",
        },
    )
    assert response.status_code == 302
    assert client.get("/settings").status_code == 200
    assert other_device.get("/settings").status_code == 302  # signed out


@pytest.mark.django_db
def test_password_change_refuses_weak_password(client_for, user):
    """SECURITY-PLAN A-2."""
    client = client_for(user)
    response = client.post(
        "/settings/password",
        {"old_password": DEFAULT_PASSWORD, "new_password1": "123", "new_password2": "123"},
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode()


@pytest.mark.django_db
def test_resend_verification_answers_the_same_for_unknown_addresses(client, run_jobs, mailoutbox):
    make_user(handle="unconfirmed", email="u@school.example", verified=False)
    for email in ("u@school.example", "nobody@school.example"):
        response = client.post("/accounts/verify-resend", {"email": email}, follow=True)
        assert "If that address belongs" in response.content.decode()
    run_jobs()
    assert [m.to for m in mailoutbox] == [["u@school.example"]]


@pytest.mark.django_db
def test_verification_link_reused_after_success_says_already_used(client):
    from staffroom.accounts.tokens import make_verification_token

    user = make_user(handle="twice", verified=False)
    path = f"/accounts/verify/{make_verification_token(user)}"
    client.post(path)
    response = client.post(path, follow=True)
    assert "already been used" in response.content.decode()


@pytest.mark.django_db
def test_settings_page_requires_sign_in_and_lists_sections(client, client_for, user):
    assert client.get("/settings").status_code == 302
    page = client_for(user).get("/settings").content.decode()
    assert "@ada" in page
    assert "/settings/password" in page


@pytest.mark.django_db
def test_landing_redirects_signed_in_teachers_home(client_for, user):
    assert client_for(user).get("/")["Location"] == "/home"


@pytest.mark.django_db
def test_password_change_revokes_api_tokens(client_for, user):
    """SECURITY-PLAN A-5."""
    from staffroom.oauth.services import personal_token_create

    raw = personal_token_create(user=user, scopes="read").raw_token
    client = client_for(user)
    client.post(
        "/settings/password",
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": "another long passphrase",
            "new_password2": "another long passphrase",
        },
    )
    response = Client().get("/api/v1/apps/verify_credentials", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401


@pytest.mark.django_db
def test_password_reset_revokes_api_tokens(client, mailoutbox):
    """SECURITY-PLAN A-5."""
    from staffroom.oauth.services import personal_token_create

    user = make_user(handle="resetter")
    raw = personal_token_create(user=user, scopes="read").raw_token
    client.post("/accounts/password/reset", {"email": user.email})
    link = next(w for w in mailoutbox[0].body.split() if "/accounts/password/reset/" in w)
    form_path = client.get(_path_of(link), follow=True).redirect_chain[-1][0]
    new = {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"}
    client.post(form_path, new)
    response = Client().get("/api/v1/apps/verify_credentials", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401
