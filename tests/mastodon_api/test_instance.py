import re

import pytest

from staffroom.accounts.selectors import site_configuration
from tests.factories import make_post, make_remote_profile


@pytest.mark.django_db
def test_instance_v2_has_a_version_clients_parse_and_api_versions(client):
    body = client.get("/api/v2/instance").json()
    assert re.match(r"^\d+\.\d+\.\d+ \(compatible; Staffroom \d+\.\d+\.\d+\)$", body["version"])
    assert body["api_versions"] == {"mastodon": 2}
    assert body["domain"] == "localhost:8000"
    assert body["configuration"]["statuses"]["max_characters"] == 1000
    assert body["configuration"]["accounts"]["max_profile_fields"] == 4
    assert body["pln"]["purposes"] == [
        "resources", "practices", "inspiration", "support", "mentorship",
    ]  # fmt: skip


@pytest.mark.django_db
def test_instance_reports_the_registration_mode(client):
    config = site_configuration()
    config.registration_mode = "approval"
    config.save()
    v2 = client.get("/api/v2/instance").json()["registrations"]
    assert v2["enabled"] is True
    assert v2["approval_required"] is True
    v1 = client.get("/api/v1/instance").json()
    assert v1["registrations"] is True
    assert v1["approval_required"] is True
    config.registration_mode = "closed"
    config.save()
    assert client.get("/api/v2/instance").json()["registrations"]["enabled"] is False


@pytest.mark.django_db
def test_instance_post_length_follows_the_setting(client, settings):
    settings.STAFFROOM_MAX_POST_CHARS = 2000
    body = client.get("/api/v1/instance").json()
    assert body["configuration"]["statuses"]["max_characters"] == 2000


@pytest.mark.django_db
def test_well_known_oauth_metadata_names_the_endpoints(client):
    body = client.get("/.well-known/oauth-authorization-server").json()
    assert body["authorization_endpoint"].endswith("/oauth/authorize")
    assert body["token_endpoint"].endswith("/oauth/token")
    assert body["code_challenge_methods_supported"] == ["S256"]
    assert body["userinfo_endpoint"].endswith("/oauth/userinfo")
    assert body["grant_types_supported"] == [
        "authorization_code",
        "password",
        "client_credentials",
        "refresh_token",
    ]
    assert "read:statuses" in body["scopes_supported"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("limit_key", "field"),
    [("max_display_name_length", "display_name"), ("max_note_length", "note")],
)
def test_published_account_limits_are_the_enforced_ones(client, limit_key, field):
    """SECURITY-PLAN R-4."""
    from staffroom.oauth.services import personal_token_create
    from tests.factories import make_user

    limit = client.get("/api/v2/instance").json()["configuration"]["accounts"][limit_key]
    raw = personal_token_create(user=make_user(handle="lim"), scopes="read write").raw_token
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    at_limit = client.patch(
        "/api/v1/accounts/update_credentials",
        data={field: "x" * limit},
        content_type="application/json",
        **auth,
    )
    assert at_limit.status_code == 200
    over = client.patch(
        "/api/v1/accounts/update_credentials",
        data={field: "x" * (limit + 1)},
        content_type="application/json",
        **auth,
    )
    assert over.status_code == 422


@pytest.mark.django_db
def test_instance_stats_count_users_local_posts_and_known_domains(client, ada, bo):
    make_post(ada, "one")
    make_post(ada, "two", visibility="followers")
    make_post(bo, "three")
    make_post(bo, "a private word", visibility="direct")  # not counted, as on Mastodon
    make_post(make_remote_profile("far", domain="mastodon.example"), "from afar")
    make_remote_profile("near", domain="other.example")
    stats = client.get("/api/v1/instance").json()["stats"]
    assert stats == {"user_count": 2, "status_count": 3, "domain_count": 2}
