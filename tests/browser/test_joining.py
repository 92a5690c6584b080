"""The joining path in a real browser: sign up, confirm the e-mail address, sign in."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from staffroom.accounts.models import User
from staffroom.accounts.selectors import site_configuration
from staffroom.accounts.services import account_approve
from tests.browser.conftest import check_accessibility, screenshot
from tests.factories import DEFAULT_PASSWORD, make_user

pytestmark = pytest.mark.browser

LINK = re.compile(r"https?://\S+/accounts/verify/\S+")


def _sign_up(
    page: Page,
    *,
    email: str = "grace@school.example",
    handle: str = "grace",
    password: str = DEFAULT_PASSWORD,
    reason: str = "",
) -> None:
    page.goto("/accounts/signup")
    if reason:
        page.get_by_label("Why do you want to join?").fill(reason)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Handle").fill(handle)
    page.get_by_label("Display name").fill("Grace Hopper")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Create my account").click()


def _verification_path(run_jobs: Callable[[], int], address: str) -> str:
    """The path of the link in the verification e-mail (the link names STAFFROOM_DOMAIN).

    The live server only queues the e-mail as a job; the test runs it, as a worker would.
    """
    run_jobs()
    [message] = [m for m in mail.outbox if address in m.to]
    body = str(message.body)
    match = LINK.search(body)
    assert match, body
    return urlsplit(match.group()).path


def _sign_in(page: Page, login: str, password: str = DEFAULT_PASSWORD) -> None:
    page.goto("/accounts/login")
    page.get_by_label("E-mail or handle").fill(login)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def _confirm_address(page: Page, run_jobs: Callable[[], int], address: str) -> None:
    page.goto(_verification_path(run_jobs, address))
    page.get_by_role("button", name="Confirm my address").click()


def test_signup_verify_and_sign_in_reaches_home(page, run_jobs):
    _sign_up(page)

    page.get_by_role("heading", name="Almost there").wait_for()
    assert "grace@school.example" in page.locator("main").inner_text()
    screenshot(page, "signup-done")
    check_accessibility(page, "signup-done")

    page.goto(_verification_path(run_jobs, "grace@school.example"))
    check_accessibility(page, "verify-email")
    page.get_by_role("button", name="Confirm my address").click()

    page.wait_for_url("**/accounts/login")
    assert "Your e-mail address is confirmed. You can sign in now." in page.inner_text("main")
    screenshot(page, "login-after-verification")
    check_accessibility(page, "login-after-verification")

    _sign_in(page, "grace")

    # A new teacher is offered onboarding first; skipping it leads to the directory.
    page.wait_for_url("**/onboarding")
    page.get_by_role("button", name="Skip for now").click()
    page.wait_for_url("**/directory")
    page.goto("/home")
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Grace Hopper"
    assert User.objects.get(email="grace@school.example").is_email_verified


def test_signin_before_verifying_asks_to_confirm_email(page):
    _sign_up(page)
    page.get_by_role("heading", name="Almost there").wait_for()

    _sign_in(page, "grace")

    alert = page.get_by_role("alert")
    assert "Please confirm your e-mail address first" in alert.inner_text()
    assert page.url.endswith("/accounts/login")
    screenshot(page, "login-unverified")
    check_accessibility(page, "login-unverified")


def test_signup_form_shows_every_error(page):
    _sign_up(page, email="not-an-address", handle="admin", password="short")

    main = page.locator("main")
    main.get_by_text("Enter a valid e-mail address").wait_for()
    text = main.inner_text()
    assert "The handle “admin” is reserved" in text
    assert "This password is too short" in text
    assert not User.objects.exists()
    # Screen readers hear each error with its field, and the page still passes axe.
    for label, error in [
        ("E-mail address", "Enter a valid e-mail address"),
        ("Handle", "is reserved"),
        ("Password", "too short"),
    ]:
        field = page.get_by_label(label)
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_accessible_description(re.compile(error))
    screenshot(page, "signup-errors")
    check_accessibility(page, "signup-errors")


def test_signin_in_approval_mode_waits_for_an_administrator(page, run_jobs):
    config = site_configuration()
    config.registration_mode = "approval"
    config.save()
    admin = make_user(handle="head", is_staff=True, is_superuser=True)

    _sign_up(page, reason="I teach maths at a village school.")
    page.get_by_role("heading", name="Almost there").wait_for()
    assert User.objects.get(email="grace@school.example").signup_reason.startswith("I teach")
    assert "An administrator also approves each new account" in page.inner_text("main")

    _confirm_address(page, run_jobs, "grace@school.example")
    page.wait_for_url("**/accounts/login")
    assert "We will write when an administrator approves it." in page.inner_text("main")

    _sign_in(page, "grace")
    assert "An administrator has not approved your account yet." in (
        page.get_by_role("alert").inner_text()
    )
    screenshot(page, "login-pending-approval")

    account_approve(user=User.objects.get(email="grace@school.example"), actor=admin)
    _sign_in(page, "grace")

    # A new teacher is offered onboarding first; skipping it leads to the directory.
    page.wait_for_url("**/onboarding")
    page.get_by_role("button", name="Skip for now").click()
    page.wait_for_url("**/directory")
    page.goto("/home")
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Grace Hopper"
