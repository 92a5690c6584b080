"""The benchmark network as table rows, written in bulk through a raw database connection.

Columns come from the models' metadata: the generator gives the columns that vary per row,
every other column gets the model's default (or now, or NULL), so a new column with a
default needs no change here and a new required column fails loudly. Runs inside a
process where Django is set up (for the metadata only; the rows never touch the ORM).
"""

from __future__ import annotations

import enum
import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
from django.db import models

from bench.network import SEQUENCE_BITS, Network

CHUNK = 50_000
USER_PASSWORD = "!bench-unusable"  # noqa: S105 - a "!" prefix is Django's unusable password
DAY_MS = 86_400_000

Row = tuple[Any, ...]
WriteRows = Callable[[str, Sequence[str], Iterable[Row], Row], None]


def _default(field: models.Field[Any, Any], now: datetime) -> Any:
    value = _default_value(field, now)
    return value.value if isinstance(value, enum.Enum) else value  # choices as plain text


def _default_value(field: models.Field[Any, Any], now: datetime) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    if field.has_default():
        return field.get_default()
    if field.null:
        return None
    if field.blank and field.empty_strings_allowed:
        return ""
    raise ValueError(f"{field.model.__name__}.{field.name} needs a value from the generator")


def table_plan(
    model: type[models.Model], varying: Sequence[str], now: datetime
) -> tuple[str, list[str], Row]:
    """(table, columns, constants): `varying` columns first, then every other column with
    its default. An auto-increment primary key not in `varying` is left to the database."""
    columns, constants = list(varying), []
    for field in model._meta.concrete_fields:
        if field.column in varying:
            continue
        if field.primary_key and isinstance(field, models.AutoField | models.BigAutoField):
            continue
        if field.primary_key:
            raise ValueError(f"{model.__name__}: the generator must give the primary key")
        columns.append(field.column)
        constants.append(_default(field, now))
    return model._meta.db_table, columns, tuple(constants)


def _ids(base_ms: int, count: int) -> np.ndarray:
    """Distinct snowflakes from `base_ms` on: 65,536 per millisecond, in order."""
    index = np.arange(count, dtype=np.int64)
    return ((base_ms + (index >> SEQUENCE_BITS)) << SEQUENCE_BITS) | (index & 0xFFFF)


class NetworkRows:
    """The tables of one network. Ids: user u has user id u + 1 and profile id
    profile_ids[u]; post i has id network.post_id[i]."""

    def __init__(self, network: Network, *, domain: str, scheme: str = "http") -> None:
        self.network = network
        self.base = f"{scheme}://{domain}"
        start_ms = network.params.now_ms - 400 * DAY_MS
        self.now = datetime.fromtimestamp(network.params.now_ms / 1000, tz=UTC)
        self.joined = datetime.fromtimestamp(start_ms / 1000, tz=UTC)
        self.profile_ids = _ids(start_ms, network.users)
        self.follow_ids = _ids(start_ms + DAY_MS, len(network.followees))
        self.list_ids = _ids(start_ms + 2 * DAY_MS, len(network.viewers))

    def write(self, write_rows: WriteRows, log: Callable[[str], None]) -> None:
        from staffroom.accounts.models import User
        from staffroom.graph.models import Follow, PurposeList, PurposeListMember
        from staffroom.posts.models import Status
        from staffroom.profiles.models import Profile, ProfileStats
        from staffroom.timelines.models import FeedEntry

        tables: list[tuple[type[models.Model], list[str], Callable[[], Iterator[Row]]]] = [
            (User, ["id", "email", "password", "email_verified_at", "date_joined"], self.users),
            (Profile, ["id", "user_id", "handle", "uri", "display_name"], self.profiles),
            (Follow, ["id", "follower_id", "followee_id", "created_at"], self.follows),
            (Status, ["id", "account_id", "uri", "text", "content", "thread_id", "created_at"],
             self.statuses),
            (PurposeList, ["id", "owner_id", "title", "purpose"], self.lists),
            (PurposeListMember, ["list_id", "profile_id"], self.list_members),
            (FeedEntry, ["owner_id", "list_id", "status_id", "author_id", "origin_author_id"],
             self.feed_entries),
            (ProfileStats, ["profile_id", "followers_count", "following_count", "statuses_count",
                            "last_status_at"], self.profile_stats),
        ]  # fmt: skip
        for model, varying, rows in tables:
            started = time.monotonic()
            table, columns, constants = table_plan(model, varying, self.now)
            write_rows(table, columns, rows(), constants)
            log(f"  {table}: {time.monotonic() - started:.1f}s")

    def users(self) -> Iterator[Row]:
        for u in range(self.network.users):
            yield u + 1, f"t{u}@bench.invalid", USER_PASSWORD, self.joined, self.joined

    def profiles(self) -> Iterator[Row]:
        for u, pid in enumerate(self.profile_ids.tolist()):
            yield pid, u + 1, f"t{u}", f"{self.base}/users/t{u}", f"Teacher {u}"

    def follows(self) -> Iterator[Row]:
        pids, net = self.profile_ids, self.network
        follower = np.repeat(np.arange(net.users), net.follow_counts())
        rows = zip(
            self.follow_ids.tolist(),
            pids[follower].tolist(),
            pids[net.followees].tolist(),
            strict=True,
        )
        for fid, a, b in rows:
            yield fid, a, b, self.joined

    def statuses(self) -> Iterator[Row]:
        net = self.network
        authors = net.post_author.tolist()
        pids = self.profile_ids.tolist()
        for i, (sid, ms) in enumerate(zip(net.post_id.tolist(), net.post_ms.tolist(), strict=True)):
            author = authors[i]
            text = f"Post {i} from teacher {author}: exit tickets and retrieval practice #edchat"
            yield (
                sid,
                pids[author],
                f"{self.base}/users/t{author}/statuses/{sid}",
                text,
                f"<p>{text}</p>",
                sid,
                datetime.fromtimestamp(ms / 1000, tz=UTC),
            )

    def lists(self) -> Iterator[Row]:
        pids = self.profile_ids
        for index, viewer in enumerate(self.network.viewers.tolist()):
            yield int(self.list_ids[index]), int(pids[viewer]), f"Bench list {index}", "practices"

    def list_members(self) -> Iterator[Row]:
        pids = self.profile_ids
        for index, members in enumerate(self.network.list_members):
            for member in members.tolist():
                yield int(self.list_ids[index]), int(pids[member])

    def profile_stats(self) -> Iterator[Row]:
        """The counters the services would have moved: followers, following, posts and
        the time of each teacher's last post."""
        net = self.network
        followers = np.bincount(net.followees, minlength=net.users).tolist()
        following = net.follow_counts().tolist()
        posts = np.bincount(net.post_author, minlength=net.users).tolist()
        last_ms = np.full(net.users, -1, dtype=np.int64)
        np.maximum.at(last_ms, net.post_author, net.post_ms)
        for u, pid in enumerate(self.profile_ids.tolist()):
            last = (
                datetime.fromtimestamp(int(last_ms[u]) / 1000, tz=UTC) if last_ms[u] >= 0 else None
            )
            yield pid, followers[u], following[u], posts[u], last

    def feed_entries(self) -> Iterator[Row]:
        pids = self.profile_ids
        net = self.network
        for owner, list_index, posts in net.feeds():
            list_id = None if list_index is None else int(self.list_ids[list_index])
            owner_pid = int(pids[owner])
            author_pids = pids[net.post_author[posts]].tolist()
            for sid, apid in zip(net.post_id[posts].tolist(), author_pids, strict=True):
                yield owner_pid, list_id, sid, apid, apid


def sqlite_value(value: Any) -> Any:
    """What Django's SQLite backend stores for a Python value."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, list | dict):
        return json.dumps(value)
    if isinstance(value, bool):
        return int(value)
    return value


def postgres_value(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value)
    return value


def adapted_rows(rows: Iterable[Row], constants: Row, adapt: Callable[[Any], Any]) -> Iterator[Row]:
    """`rows` with `constants` appended, values adapted for the database. Only the columns
    whose first value needs adapting are adapted (the rows are uniform)."""
    tail = tuple(adapt(value) for value in constants)
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return
    fix = [i for i, value in enumerate(first) if adapt(value) is not value]
    if not fix:
        yield first + tail
        for row in iterator:
            yield row + tail
        return
    yield _fixed(first, fix, adapt) + tail
    for row in iterator:
        yield _fixed(row, fix, adapt) + tail


def _fixed(row: Row, fix: list[int], adapt: Callable[[Any], Any]) -> Row:
    values = list(row)
    for i in fix:
        values[i] = adapt(values[i])
    return tuple(values)


def chunks(rows: Iterable[Row], size: int = CHUNK) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
