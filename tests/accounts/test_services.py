import pytest
import time_machine
from django.core.exceptions import ValidationError

from staffroom.accounts.models import ApprovalState, Invite, User
from staffroom.accounts.selectors import site_configuration
from staffroom.accounts.services import (
    Registration,
    account_approve,
    account_register,
    account_reject,
    email_verify,
)
from staffroom.accounts.tokens import make_verification_token
from staffroom.core.exceptions import Conflict, PermissionDenied
from staffroom.profiles.models import Profile
from tests.factories import make_user

GOOD = {"email": "Ana.Lima@School.example", "handle": "AnaReads", "password": "river stone lamp"}


def _configure(**fields):
    config = site_configuration()
    for name, value in fields.items():
        setattr(config, name, value)
    config.save()
    return config


def _link_token(message) -> str:
    line = next(line for line in message.body.splitlines() if "/accounts/verify/" in line)
    return line.rsplit("/", 1)[1].strip()


@pytest.mark.django_db
def test_register_open_mode_creates_user_and_profile_and_sends_verification(run_jobs, mailoutbox):
    user = account_register(Registration(**GOOD, display_name="Ana"))
    assert user.email == "ana.lima@school.example"
    assert user.profile.handle == "AnaReads"
    assert user.is_approved
    assert not user.is_email_verified
    assert user.password.startswith("md5$") or user.password.startswith("argon2")
    run_jobs()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ana.lima@school.example"]
    assert "@AnaReads" in mailoutbox[0].body


@pytest.mark.django_db
def test_register_reports_every_bad_field_at_once_and_saves_nothing():
    make_user(handle="taken", email="taken@school.example")
    with pytest.raises(ValidationError) as caught:
        account_register(
            Registration(email="TAKEN@school.example", handle="admin", password="12345678")
        )
    errors = caught.value.message_dict
    assert set(errors) == {"email", "handle", "password"}
    assert "already exists" in errors["email"][0]
    assert User.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "email",
    [
        "no-at-sign",
        "two@@school.example",
        "a@b@school.example",
        '"quoted"@school.example',
        "per%cent@school.example",
        "comma,x@school.example",
        "space x@school.example",
        "x" * 250 + "@school.example",
    ],
)
def test_register_refuses_malformed_email_addresses(email):
    """SECURITY-PLAN A-11."""
    with pytest.raises(ValidationError) as caught:
        account_register(Registration(email=email, handle="valid_h", password="river stone lamp"))
    assert "email" in caught.value.message_dict
    assert not User.objects.exists()


@pytest.mark.django_db
def test_register_enforces_the_email_domain_allow_list():
    """SECURITY-PLAN A-11."""
    _configure(allowed_email_domains="ourdistrict.org\n@Schools.Example")
    with pytest.raises(ValidationError, match=r"only accepts addresses at ourdistrict\.org"):
        account_register(Registration(**{**GOOD, "email": "me@gmail.example"}))
    with pytest.raises(ValidationError):
        # A look-alike suffix is not a subdomain.
        account_register(Registration(**{**GOOD, "email": "me@evilourdistrict.org"}))
    account_register(Registration(**{**GOOD, "email": "me@ourdistrict.org"}))
    account_register(
        Registration(email="you@north.schools.example", handle="you", password="river stone lamp")
    )
    assert User.objects.count() == 2


@pytest.mark.django_db
def test_register_in_closed_mode_is_refused():
    _configure(registration_mode="closed")
    with pytest.raises(PermissionDenied):
        account_register(Registration(**GOOD))
    assert not User.objects.exists()


@pytest.mark.django_db
def test_register_in_approval_mode_leaves_the_account_pending():
    _configure(registration_mode="approval")
    user = account_register(Registration(**GOOD, reason="I teach grade 4 in Leeds."))
    assert user.approval == ApprovalState.PENDING
    assert user.signup_reason == "I teach grade 4 in Leeds."


@pytest.mark.django_db
def test_register_in_invitation_mode_needs_and_consumes_a_usable_invite():
    _configure(registration_mode="invitation")
    invite = Invite.objects.create(max_uses=1)
    with pytest.raises(ValidationError) as caught:
        account_register(Registration(**GOOD))
    assert "invite_code" in caught.value.message_dict
    account_register(Registration(**GOOD, invite_code=invite.code))
    invite.refresh_from_db()
    assert invite.uses == 1
    with pytest.raises(ValidationError, match="used up"):
        account_register(
            Registration(
                email="b@school.example", handle="bee", password="river stone lamp",
                invite_code=invite.code,
            )
        )  # fmt: skip
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_expired_invite_is_refused():
    _configure(registration_mode="invitation")
    with time_machine.travel("2026-01-01"):
        invite = Invite.objects.create(expires_at="2026-01-02T00:00:00Z")
    with time_machine.travel("2026-01-03"), pytest.raises(ValidationError, match="not valid"):
        account_register(Registration(**GOOD, invite_code=invite.code))


@pytest.mark.django_db
def test_register_without_required_verification_marks_the_address_verified():
    _configure(require_email_verification=False)
    user = account_register(Registration(**GOOD))
    assert user.is_email_verified


@pytest.mark.django_db
def test_email_verify_marks_verified_and_refuses_reuse():
    user = make_user(handle="newbie", verified=False)
    token = make_verification_token(user)
    assert email_verify(token=token).is_email_verified
    with pytest.raises(Conflict, match="already been used"):
        email_verify(token=token)


@pytest.mark.django_db
def test_email_verify_refuses_expired_and_forged_tokens():
    with time_machine.travel("2026-01-01"):
        user = make_user(handle="late", verified=False)
        token = make_verification_token(user)
    with time_machine.travel("2026-01-05"), pytest.raises(PermissionDenied, match="expired"):
        email_verify(token=token)
    with pytest.raises(PermissionDenied, match="not valid"):
        email_verify(token=token[:-3] + "abc")
    user.refresh_from_db()
    assert not user.is_email_verified


@pytest.mark.django_db
def test_verification_link_from_the_email_verifies_the_account(run_jobs, mailoutbox):
    user = account_register(Registration(**GOOD))
    run_jobs()
    email_verify(token=_link_token(mailoutbox[0]))
    user.refresh_from_db()
    assert user.is_email_verified


@pytest.mark.django_db
def test_account_approve_by_staff_approves_and_emails(run_jobs, mailoutbox):
    admin = make_user(handle="head", is_staff=True)
    pending = make_user(handle="waiting", approval=ApprovalState.PENDING)
    account_approve(user=pending, actor=admin)
    pending.refresh_from_db()
    assert pending.is_approved
    run_jobs()
    assert [m.to for m in mailoutbox] == [[pending.email]]


@pytest.mark.django_db
def test_account_approve_by_non_staff_is_refused():
    teacher = make_user(handle="peer")
    pending = make_user(handle="waiting", approval=ApprovalState.PENDING)
    with pytest.raises(PermissionDenied):
        account_approve(user=pending, actor=teacher)
    pending.refresh_from_db()
    assert pending.approval == ApprovalState.PENDING


@pytest.mark.django_db
def test_account_reject_deactivates_the_pending_account():
    admin = make_user(handle="head", is_staff=True)
    pending = make_user(handle="waiting", approval=ApprovalState.PENDING)
    account_reject(user=pending, actor=admin)
    pending.refresh_from_db()
    assert pending.approval == ApprovalState.REJECTED
    assert not pending.is_active


@pytest.mark.django_db
def test_site_configuration_is_seeded_from_settings_once(settings):
    settings.STAFFROOM_REGISTRATION_MODE = "approval"
    settings.STAFFROOM_ALLOWED_EMAIL_DOMAINS = ["district.example"]
    config = site_configuration()
    assert config.registration_mode == "approval"
    assert config.allowed_domains == ["district.example"]
    settings.STAFFROOM_REGISTRATION_MODE = "open"
    assert site_configuration().registration_mode == "approval"  # the row is now the truth
    assert Profile.objects.count() == 0


def test_request_user_refuses_an_anonymous_request():
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
    from django.test import RequestFactory

    from staffroom.accounts.selectors import request_user

    request = RequestFactory().get("/settings")
    request.user = AnonymousUser()
    with pytest.raises(DjangoPermissionDenied):
        request_user(request)
