from datetime import timedelta

import pytest
from django.utils import timezone

from staffroom.profiles.usage import site_usage
from tests.factories import make_post, make_user


@pytest.mark.django_db
def test_active_users_are_counted_by_their_last_sign_in():
    now = timezone.now()
    for handle, days_ago, active in [
        ("recent", 3, True), ("spring", 90, True), ("longago", 400, True), ("gone", 0, False),
    ]:  # fmt: skip
        user = make_user(handle=handle)
        user.last_login, user.is_active = now - timedelta(days=days_ago), active
        user.save(update_fields=["last_login", "is_active"])
    usage = site_usage()
    assert (usage.users_total, usage.active_month, usage.active_halfyear) == (3, 1, 2)


@pytest.mark.django_db
def test_usage_is_counted_in_few_queries_then_cached(ada, django_assert_max_num_queries):
    make_post(ada, "one")
    with django_assert_max_num_queries(5):
        assert site_usage().local_posts == 1
    make_post(ada, "two")
    with django_assert_max_num_queries(0):
        assert site_usage().local_posts == 1  # a minute old at most
