"""Pushing notifications end to end: a mention reaches a push service on 127.0.0.1,
encrypted so only the subscriber's key opens it (RFC 8291) and signed with the server's
VAPID key (RFC 8292); a gone subscription is removed, a failing service is retried, and
alerts and policy decide what is sent at all."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import timedelta

import http_ece
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.test import override_settings
from django.utils import timezone

from staffroom.core.models import Job, JobStatus
from staffroom.graph.services import follow_create
from staffroom.leaving.deletion import account_delete_run
from staffroom.notifications.models import Notification
from staffroom.posts.services import favourite_create
from staffroom.push.keys import vapid_public_key
from staffroom.push.models import PushSubscription
from tests.graph.test_api_helpers import bearer, call
from tests.push.helpers import Receiver
from tests.push.pushserver import PushServer, push_server

pytestmark = pytest.mark.django_db

PATH = "/api/v1/push/subscription"


@pytest.fixture
def server() -> Iterator[PushServer]:
    with push_server() as running:
        yield running


def _subscribe(client, profile, server: PushServer, **data) -> tuple[Receiver, dict[str, str]]:
    receiver = Receiver()
    headers = bearer(profile, "read write push")
    alerts = data.pop("alerts", {"mention": True, "favourite": True, "follow": True})
    response = call(
        client, "POST", PATH, headers, receiver.body(server.url(), alerts=alerts, **data)
    )
    assert response.status_code == 200, response.content
    return receiver, headers


def _b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _check_vapid(authorization: str, audience: str) -> None:
    scheme, _, params = authorization.partition(" ")
    assert scheme == "vapid"
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    assert fields["k"] == vapid_public_key()
    header, claims, signature = fields["t"].split(".")
    assert json.loads(_b64(claims))["aud"] == audience
    raw = _b64(signature)
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _b64(fields["k"]))
    public.verify(
        encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")),
        f"{header}.{claims}".encode(),
        ec.ECDSA(hashes.SHA256()),
    )


def test_a_mention_is_pushed_encrypted_and_signed(client, ada, bo, post, run_jobs, server):
    receiver, _headers = _subscribe(client, ada, server)
    status = post(ada, "Fractions with pizza")
    post(bo, "@ada love it, trying it tomorrow", in_reply_to=status)
    run_jobs()
    assert len(server.received) == 1
    pushed = server.received[0]
    assert pushed.path == "/push/device-1"
    assert pushed.headers["content-encoding"] == "aes128gcm"
    assert int(pushed.headers["ttl"]) > 0
    assert pushed.headers["urgency"] == "normal"
    _check_vapid(pushed.headers["authorization"], f"http://127.0.0.1:{server.port}")
    plain = http_ece.decrypt(
        pushed.body, private_key=receiver.private_key, auth_secret=receiver.auth_secret
    )
    payload = json.loads(plain)
    notification = Notification.objects.get(recipient=ada, kind="mention")
    assert payload["notification_id"] == str(notification.pk)
    assert payload["notification_type"] == "mention"
    assert payload["title"] == "bo mentioned you"
    assert "trying it tomorrow" in payload["body"]
    assert set(payload) == {
        "access_token",
        "preferred_locale",
        "notification_id",
        "notification_type",
        "icon",
        "title",
        "body",
    }


def test_a_gone_subscription_is_removed(client, ada, bo, run_jobs, server):
    _subscribe(client, ada, server)
    server.answers = [410]
    follow_create(actor=bo, target=ada)
    run_jobs()
    assert len(server.received) == 1
    assert not PushSubscription.objects.exists()


def test_a_failing_push_service_is_retried(client, ada, bo, run_jobs, server):
    _subscribe(client, ada, server)
    server.answers = [500]
    follow_create(actor=bo, target=ada)
    run_jobs()
    job = Job.objects.get(task_path="staffroom.push.tasks.push_deliver")
    assert job.status == JobStatus.PENDING
    assert job.attempts == 1
    Job.objects.filter(pk=job.pk).update(run_after=timezone.now() - timedelta(seconds=1))
    run_jobs()
    assert len(server.received) == 2
    assert Job.objects.get(pk=job.pk).status == JobStatus.SUCCEEDED
    assert PushSubscription.objects.exists()


def test_an_alert_turned_off_sends_nothing(client, ada, bo, post, run_jobs, server):
    _subscribe(client, ada, server, alerts={"mention": True, "favourite": False})
    status = post(ada, "Fractions with pizza")
    favourite_create(actor=bo, status=status)
    run_jobs()
    assert Notification.objects.filter(recipient=ada, kind="favourite").exists()
    assert server.received == []


def test_policy_followed_pushes_only_from_people_followed(
    client, ada, bo, cy, post, run_jobs, server
):
    _subscribe(client, ada, server, policy="followed")
    follow_create(actor=ada, target=bo)
    status = post(ada, "Fractions with pizza")
    favourite_create(actor=cy, status=status)
    favourite_create(actor=bo, status=status)
    run_jobs()
    assert len(server.received) == 1
    assert Notification.objects.filter(recipient=ada, kind="favourite").count() == 2


def test_account_deletion_removes_subscriptions(client, ada, server):
    _subscribe(client, ada, server)
    user = ada.user
    assert user is not None
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert account_delete_run(user_id=user.pk)
    assert not PushSubscription.objects.exists()


def test_a_redirect_is_not_followed_nor_retried(client, ada, bo, run_jobs, server):
    """SECURITY-PLAN S-3."""
    _subscribe(client, ada, server)
    server.answers = [307]
    server.location = "http://10.0.0.7/elsewhere"
    follow_create(actor=bo, target=ada)
    run_jobs()
    assert len(server.received) == 1
    assert Job.objects.get(task_path="staffroom.push.tasks.push_deliver").status == (
        JobStatus.SUCCEEDED
    )
    assert PushSubscription.objects.exists()


def test_the_address_is_checked_again_at_delivery(client, ada, bo, run_jobs, server):
    """SECURITY-PLAN S-1."""
    _subscribe(client, ada, server)
    follow_create(actor=bo, target=ada)
    with override_settings(PUSH_ALLOWED_ADDRESSES=[]):
        run_jobs()
    assert server.received == []
    assert Job.objects.get(task_path="staffroom.push.tasks.push_deliver").status == (
        JobStatus.SUCCEEDED
    )
