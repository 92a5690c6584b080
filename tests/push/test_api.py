"""`/api/v1/push/subscription`: subscribing, reading, changing and removing, per token, in
Mastodon's shapes and scope; input that is refused with a 422 that says why."""

from __future__ import annotations

import base64

import pytest
from django.test import override_settings

from staffroom.push.keys import vapid_public_key
from staffroom.push.models import PushSubscription
from tests.graph.test_api_helpers import bearer, call
from tests.push.helpers import Receiver

pytestmark = pytest.mark.django_db

PATH = "/api/v1/push/subscription"
ENDPOINT = "https://127.0.0.1/push/abc"


def test_subscribe_read_change_and_remove(client, ada):
    headers = bearer(ada, "read push")
    receiver = Receiver()
    body = receiver.body(ENDPOINT, alerts={"mention": True, "favourite": "false"}, policy="all")
    created = call(client, "POST", PATH, headers, body)
    assert created.status_code == 200, created.content
    entity = created.json()
    assert entity["endpoint"] == ENDPOINT
    assert entity["alerts"]["mention"] is True
    assert entity["alerts"]["favourite"] is False
    assert set(entity["alerts"]) >= {"admin.sign_up", "admin.report", "poll", "update"}
    assert entity["policy"] == "all"
    assert len(entity["server_key"]) == 87  # 65 bytes, URL-safe base64 without padding
    assert client.get(PATH, **headers).json() == entity

    changed = call(
        client, "PUT", PATH, headers, {"data": {"alerts": {"follow": True}, "policy": "followed"}}
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["alerts"]["follow"] is True
    assert changed.json()["alerts"]["mention"] is True
    assert changed.json()["policy"] == "followed"
    assert changed.json()["endpoint"] == ENDPOINT

    removed = call(client, "DELETE", PATH, headers)
    assert removed.status_code == 200
    assert removed.json() == {}
    missing = client.get(PATH, **headers)
    assert missing.status_code == 404
    assert missing.json() == {"error": "Record not found"}


def test_subscribe_with_a_bracketed_form_body(client, ada):
    receiver = Receiver()
    form = (
        f"subscription[endpoint]={ENDPOINT}&subscription[keys][p256dh]={receiver.p256dh}"
        f"&subscription[keys][auth]={receiver.auth}&data[alerts][mention]=true"
        "&data[alerts][admin.sign_up]=1&data[policy]=follower"
    )
    response = client.post(
        PATH, form, content_type="application/x-www-form-urlencoded", **bearer(ada, "push")
    )
    assert response.status_code == 200, response.content
    assert response.json()["alerts"]["mention"] is True
    assert response.json()["alerts"]["admin.sign_up"] is True
    assert response.json()["policy"] == "follower"


def test_one_subscription_per_token_and_another_tokens_is_invisible(client, ada):
    """SECURITY-PLAN A-7."""
    first, second = bearer(ada, "push"), bearer(ada, "push")
    call(client, "POST", PATH, first, Receiver().body(ENDPOINT))
    again = call(client, "POST", PATH, first, Receiver().body(ENDPOINT + "/2"))
    assert again.status_code == 200
    assert PushSubscription.objects.count() == 1
    assert client.get(PATH, **second).status_code == 404
    assert call(client, "PUT", PATH, second, {"data": {"policy": "none"}}).status_code == 404
    assert call(client, "DELETE", PATH, second).json() == {}
    assert PushSubscription.objects.get().endpoint == ENDPOINT + "/2"


def test_keys_in_standard_base64_are_kept_url_safe(client, ada):
    receiver = Receiver()
    body = receiver.body(ENDPOINT)
    standard = base64.b64encode(base64.urlsafe_b64decode(receiver.p256dh + "=")).decode()
    body["subscription"]["keys"]["p256dh"] = standard
    response = call(client, "POST", PATH, bearer(ada, "push"), body)
    assert response.status_code == 200, response.content
    assert PushSubscription.objects.get().p256dh == receiver.p256dh


def test_the_push_scope_is_needed(client, ada):
    without = bearer(ada, "read write follow")
    assert call(client, "POST", PATH, without, Receiver().body(ENDPOINT)).status_code == 403
    assert client.get(PATH).status_code == 401


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"endpoint": "ftp://127.0.0.1/x"}, "https"),
        ({"endpoint": "https://10.0.0.7/x"}, "private"),
        ({"endpoint": "https://[::1]/x"}, "private"),
        ({"endpoint": "https://169.254.169.254/latest"}, "private"),
        ({"endpoint": "https://127.0.0.1/" + "a" * 5000}, "2048"),
        ({"endpoint": "https://127.0.0.1/\x07"}, "control characters"),  # NUL: the input gate
        ({"endpoint": ""}, "missing"),
        ({"p256dh": "not base64 at all!"}, "p256dh"),
        ({"p256dh": "BAAA"}, "p256dh"),
        ({"p256dh": "B" * 10_000}, "p256dh"),
        ({"auth": "c2hvcnQ"}, "auth"),
        ({"auth": "\x07" * 22}, "auth"),
    ],
)
def test_bad_input_is_a_422_that_says_why(client, ada, change, message):
    """SECURITY-PLAN S-1, S-4."""
    receiver = Receiver()
    body = receiver.body(ENDPOINT)
    if "endpoint" in change:
        body["subscription"]["endpoint"] = change["endpoint"]
    for key in ("p256dh", "auth"):
        if key in change:
            body["subscription"]["keys"][key] = change[key]
    response = call(client, "POST", PATH, bearer(ada, "push"), body)
    assert response.status_code == 422, response.content
    assert message in response.json()["error"]
    assert not PushSubscription.objects.exists()


def test_a_bad_policy_is_a_422(client, ada):
    body = Receiver().body(ENDPOINT, policy="everyone")
    response = call(client, "POST", PATH, bearer(ada, "push"), body)
    assert response.status_code == 422
    assert "policy" in response.json()["error"]


@override_settings(PUSH_ALLOW_HTTP=False)
def test_plain_http_is_refused_in_production_settings(client, ada):
    """SECURITY-PLAN S-4, S-7."""
    body = Receiver().body("http://127.0.0.1/push")
    response = call(client, "POST", PATH, bearer(ada, "push"), body)
    assert response.status_code == 422
    assert "https" in response.json()["error"]


@override_settings(PUSH_ALLOWED_ADDRESSES=[])
def test_loopback_is_refused_unless_allowed(client, ada):
    """SECURITY-PLAN S-1, S-7."""
    response = call(client, "POST", PATH, bearer(ada, "push"), Receiver().body(ENDPOINT))
    assert response.status_code == 422
    assert "private" in response.json()["error"]


def test_revoking_the_token_removes_its_subscription(client, ada):
    headers = bearer(ada, "push")
    call(client, "POST", PATH, headers, Receiver().body(ENDPOINT))
    subscription = PushSubscription.objects.get()
    subscription.access_token.revoke()
    assert not PushSubscription.objects.exists()


def test_the_instance_and_apps_carry_the_vapid_key(client, ada):
    key = vapid_public_key()
    assert client.get("/api/v2/instance").json()["configuration"]["vapid"]["public_key"] == key
    registered = client.post(
        "/api/v1/apps",
        {"client_name": "Phone", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "push"},
    )
    assert registered.json()["vapid_key"] == key
