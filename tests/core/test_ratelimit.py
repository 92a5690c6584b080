import pytest
import time_machine
from django.test import override_settings

from staffroom.core import ratelimit
from staffroom.core.exceptions import RateLimited
from staffroom.core.models import RateLimitCounter


@pytest.mark.django_db
def test_hit_allows_up_to_the_limit_then_refuses():
    results = [ratelimit.hit("t", "1.2.3.4", limit=3, window=60) for _ in range(5)]
    assert [r.allowed for r in results] == [True, True, True, False, False]
    assert [r.count for r in results] == [1, 2, 3, 4, 5]


@pytest.mark.django_db
def test_hit_counts_identities_separately():
    for _ in range(3):
        ratelimit.hit("t", "a", limit=3, window=60)
    assert ratelimit.hit("t", "b", limit=3, window=60).allowed


@pytest.mark.django_db
def test_hit_starts_a_new_window_after_the_old_one_ends():
    with time_machine.travel("2026-01-01 10:00:05", tick=False):
        for _ in range(4):
            last = ratelimit.hit("t", "a", limit=3, window=60)
        assert not last.allowed
        assert last.retry_after == 55
    with time_machine.travel("2026-01-01 10:01:01", tick=False):
        assert ratelimit.hit("t", "a", limit=3, window=60).allowed


@pytest.mark.django_db
@override_settings(STAFFROOM_RATE_LIMITS={"signup": (2, 3600)})
def test_enforce_raises_with_retry_after_when_over_the_limit():
    ratelimit.enforce("signup", "9.9.9.9")
    ratelimit.enforce("signup", "9.9.9.9")
    with pytest.raises(RateLimited) as caught:
        ratelimit.enforce("signup", "9.9.9.9")
    assert 0 < caught.value.retry_after <= 3600
    assert "Too many attempts" in caught.value.message


@pytest.mark.django_db
@override_settings(REDIS_URL="")
def test_database_counter_stores_only_a_digest_of_the_identity():
    ratelimit.hit("signup", "teacher@example.org", limit=5, window=60)
    row = RateLimitCounter.objects.get()
    assert "teacher@example.org" not in row.key
    assert row.count == 1


@pytest.mark.django_db
@override_settings(REDIS_URL="")
def test_prune_counters_removes_old_windows_only():
    with time_machine.travel("2026-01-01", tick=False):
        ratelimit.hit("t", "a", limit=5, window=60)
    ratelimit.hit("t", "a", limit=5, window=60)
    assert ratelimit.prune_counters(older_than_seconds=3600) == 1
    assert RateLimitCounter.objects.count() == 1
