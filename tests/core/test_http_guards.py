"""Security headers, request-size limits and error bodies on every page."""

import pytest


@pytest.mark.django_db
def test_pages_carry_security_headers_and_csp(client):
    """SECURITY-PLAN H-5."""
    response = client.get("/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_oversized_body_is_refused_with_413_before_reading(client):
    """SECURITY-PLAN R-3."""
    response = client.generic(
        "POST",
        "/accounts/signup",
        data=b"x",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "too large" in response.content.decode()


@pytest.mark.django_db
def test_oversized_body_gets_a_json_error_under_api(client):
    response = client.generic(
        "POST", "/api/v1/apps", data=b"{}", content_type="application/json",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
    )  # fmt: skip
    assert response.status_code == 413
    assert "too large" in response.json()["error"]


@pytest.mark.django_db
def test_large_form_body_without_declared_length_gets_a_clear_400(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post("/accounts/signup", {"email": "a" * 5000})
    assert response.status_code == 400
    assert "malformed or too large" in response.content.decode()


@pytest.mark.django_db
def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_healthz_reports_database_status_as_json(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_form_post_without_csrf_token_is_refused_with_a_clear_page():
    """SECURITY-PLAN A-3."""
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/accounts/login", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "nothing was saved" in response.content.decode()


def test_production_profile_sets_secure_cookies_and_hsts(monkeypatch, tmp_path):
    """SECURITY-PLAN A-3."""
    import importlib
    import sys

    monkeypatch.setenv("STAFFROOM_ENV", "production")
    monkeypatch.setenv("STAFFROOM_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("STAFFROOM_DOMAIN", "pln.example.org")
    sys.modules.pop("staffroom.config.settings.base", None)
    try:
        prod = importlib.import_module("staffroom.config.settings.base")
        assert prod.SECURE_SSL_REDIRECT is True
        assert prod.SECURE_HSTS_SECONDS >= 31536000
        assert prod.SESSION_COOKIE_SECURE
        assert prod.CSRF_COOKIE_SECURE
        assert prod.SESSION_COOKIE_NAME.startswith("__Host-")
        assert prod.STAFFROOM_SCHEME == "https"
        assert prod.CSRF_TRUSTED_ORIGINS == ["https://pln.example.org"]
        assert prod.DEBUG is False
    finally:
        sys.modules.pop("staffroom.config.settings.base", None)
        importlib.import_module("staffroom.config.settings.base")
