from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import override_settings

from staffroom.core.health import health_report, heartbeat_record

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_health_report_without_heartbeats_is_ok_but_degraded():
    report = health_report()
    assert report["status"] == "ok"
    assert report["database"]["status"] == "ok"
    assert report["worker"] == {"status": "unknown", "last_seen": None}
    assert report["scheduler"] == {"status": "unknown", "last_seen": None}
    assert report["degraded"] is True


@pytest.mark.django_db
@override_settings(STAFFROOM_HEARTBEAT_STALE_SECONDS=180)
def test_health_report_fresh_heartbeats_are_ok_and_old_ones_stale():
    with time_machine.travel(NOW, tick=False):
        heartbeat_record(name="worker")
        heartbeat_record(name="scheduler")
    with time_machine.travel(NOW + timedelta(seconds=180), tick=False):
        heartbeat_record(name="scheduler")
        report = health_report()
        assert report["worker"]["status"] == "ok"
        assert report["worker"]["last_seen"] == NOW.isoformat()
        assert report["degraded"] is False
    with time_machine.travel(NOW + timedelta(seconds=181), tick=False):
        report = health_report()
        assert report["status"] == "ok"
        assert report["worker"]["status"] == "stale"
        assert report["worker"]["age_seconds"] == 181
        assert report["scheduler"]["status"] == "ok"
        assert report["degraded"] is True


@pytest.mark.django_db
def test_healthz_answers_200_with_worker_and_scheduler(client):
    heartbeat_record(name="scheduler")
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["scheduler"]["status"] == "ok"
    assert body["worker"]["status"] == "unknown"
    assert body["degraded"] is True
