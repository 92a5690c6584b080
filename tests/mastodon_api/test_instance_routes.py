"""The instance sub-routes: peers, activity, extended description, privacy policy, terms of
service, translation languages and domain blocks; each public, each with true data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from staffroom.accounts.models import User
from staffroom.accounts.services import site_terms_set
from staffroom.mastodon_api.instance import instance_activity
from staffroom.moderation import services as moderation
from tests.factories import make_post, make_profile

pytestmark = pytest.mark.django_db


def test_peers_translation_languages_and_domain_blocks_are_empty_and_public(client):
    assert client.get("/api/v1/instance/peers").json() == []
    assert client.get("/api/v1/instance/translation_languages").json() == {}
    assert client.get("/api/v1/instance/domain_blocks").json() == []


def test_activity_counts_twelve_weeks_this_week_first(client):
    ada = make_profile("ada")
    make_post(ada, "One")
    make_post(ada, "Two")
    User.objects.filter(profile=ada).update(last_login=timezone.now())
    body = client.get("/api/v1/instance/activity").json()
    assert len(body) == 12
    assert set(body[0]) == {"week", "statuses", "logins", "registrations"}
    assert all(isinstance(value, str) for row in body for value in row.values())
    assert body[0]["statuses"] == "2"
    assert body[0]["logins"] == "1"
    assert body[0]["registrations"] == "1"
    weeks = [int(row["week"]) for row in body]
    assert weeks == sorted(weeks, reverse=True)
    assert weeks[0] - weeks[1] == 7 * 24 * 3600
    monday = datetime.fromtimestamp(weeks[0], tz=UTC)
    assert monday.weekday() == 0
    assert monday.hour == 0


def test_activity_puts_older_rows_in_their_week():
    ada = make_profile("ada")
    User.objects.filter(profile=ada).update(date_joined=timezone.now() - timedelta(days=15))
    rows = instance_activity(now=timezone.now())
    assert sum(int(row["registrations"]) for row in rows) == 1
    assert rows[0]["registrations"] == "0"


def test_activity_is_cached(client, django_assert_num_queries):
    client.get("/api/v1/instance/activity")
    make_post(make_profile("ada"), "Later")
    with django_assert_num_queries(0):
        body = client.get("/api/v1/instance/activity").json()
    assert body[0]["statuses"] == "0"


def test_extended_description_has_the_description_and_rules(client, admin):
    moderation.rule_create(actor=admin, text="Assume good intent <always>")
    body = client.get("/api/v1/instance/extended_description").json()
    assert set(body) == {"updated_at", "content"}
    assert body["updated_at"].endswith("Z")
    assert "Assume good intent &lt;always&gt;" in body["content"]


def test_terms_of_service_are_404_until_written(client):
    missing = client.get("/api/v1/instance/terms_of_service")
    assert missing.status_code == 404
    assert missing.json() == {"error": "Record not found"}
    site_terms_set(terms="Be **kind**.")
    body = client.get("/api/v1/instance/terms_of_service").json()
    assert set(body) == {"effective_date", "effective", "content", "succeeded_by"}
    assert "<strong>kind</strong>" in body["content"]
    assert body["effective"] is True
    assert body["succeeded_by"] is None
    dated = client.get(f"/api/v1/instance/terms_of_service?date={body['effective_date']}")
    assert dated.status_code == 200
    assert client.get("/api/v1/instance/terms_of_service?date=2001-01-01").status_code == 404


def test_privacy_policy_comes_from_the_configured_file(client, settings, tmp_path):
    settings.STAFFROOM_PRIVACY_POLICY_FILE = ""
    assert client.get("/api/v1/instance/privacy_policy").status_code == 404
    policy = tmp_path / "privacy.md"
    policy.write_text("We keep *little*.", encoding="utf-8")
    settings.STAFFROOM_PRIVACY_POLICY_FILE = str(policy)
    body = client.get("/api/v1/instance/privacy_policy").json()
    assert "<em>little</em>" in body["content"]
    assert body["updated_at"].endswith("Z")
    settings.STAFFROOM_PRIVACY_POLICY_FILE = str(tmp_path / "missing.md")
    assert client.get("/api/v1/instance/privacy_policy").status_code == 404
