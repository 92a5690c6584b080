"""The generated rows load into the real schema and read back through the selectors."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from bench.network import NetworkParams, generate
from bench.rows import NetworkRows, Row, adapted_rows, postgres_value, sqlite_value, table_plan
from staffroom.graph.models import Follow, PurposeList
from staffroom.posts.models import Status
from staffroom.profiles.models import Profile
from staffroom.timelines.models import FeedEntry
from staffroom.timelines.selectors import direct_home_ids, home_timeline, list_timeline

PARAMS = NetworkParams(
    users=40, posts=600, follow_min=3, follow_max=30, feed_max=25, viewers_per_band=2
)


def _write(table: str, columns: Any, rows: Any, constants: Row) -> None:
    adapt = sqlite_value if connection.vendor == "sqlite" else postgres_value
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {connection.ops.quote_name(table)} ({names}) VALUES ({marks})"  # noqa: S608 - model names
    with connection.cursor() as cursor:
        cursor.executemany(sql, list(adapted_rows(rows, constants, adapt)))


def test_table_plan_fills_defaults_and_leaves_auto_ids_to_the_database():
    now = timezone.now()
    varying = ["owner_id", "list_id", "status_id", "author_id", "origin_author_id"]
    assert table_plan(FeedEntry, varying, now) == ("timelines_feedentry", varying, ())
    _table, columns, constants = table_plan(Profile, ["id", "user_id", "handle", "uri"], now)
    plan = dict(zip(columns[4:], constants, strict=True))
    assert plan["domain"] == ""
    assert plan["fields"] == []
    assert plan["created_at"] == now
    assert plan["is_discoverable"] is True


def test_table_plan_wants_snowflake_ids_from_the_generator():
    with pytest.raises(ValueError, match="primary key"):
        table_plan(Status, ["account_id"], timezone.now())


@pytest.mark.django_db
def test_rows_read_back_through_the_feed_selectors(settings):
    settings.STAFFROOM_DOMAIN = "bench.test"
    network = generate(PARAMS)
    NetworkRows(network, domain="bench.test").write(_write, lambda _line: None)
    assert Profile.objects.in_good_standing().count() == PARAMS.users
    assert Follow.objects.count() == len(network.followees)
    assert Status.objects.count() == PARAMS.posts
    viewer = Profile.objects.get(handle=f"t{network.viewers[-1]}")
    page = home_timeline(viewer, limit=20)
    assert [s.pk for s in page] == direct_home_ids(viewer, limit=20)
    assert len(page) == 20
    own_list = PurposeList.objects.get(owner=viewer)
    listed = list_timeline(viewer, own_list, limit=20)
    members = {p.pk for p in Profile.objects.filter(purpose_list_memberships__list=own_list)}
    assert listed
    assert all(status.account_id in members for status in listed)
