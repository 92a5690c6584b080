"""Moving and reading the per-profile counters (`ProfileStats`).

Increments are one UPSERT (`INSERT ... ON CONFLICT DO UPDATE`, which SQLite 3.24+ and
PostgreSQL both accept), so the first follow of a new profile needs no row made before.
Decrements only update an existing row and never go below zero: a profile being deleted
decrements its neighbours while its own row is already gone, and must not bring it back.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Count, F, Max
from django.db.models.functions import Greatest

from staffroom.profiles.models import Profile, ProfileStats

COUNTERS = frozenset({"followers_count", "following_count", "statuses_count"})


def stats_add(profile_id: int, counter: str, delta: int, *, at: datetime | None = None) -> None:
    """Add `delta` to one counter of a profile; `at` also sets `last_status_at`."""
    if counter not in COUNTERS:
        raise ValueError(counter)
    if delta <= 0:
        changes: dict[str, object] = {counter: Greatest(F(counter) + delta, 0)}
        ProfileStats.objects.filter(profile_id=profile_id).update(**changes)
        return
    table = connection.ops.quote_name(ProfileStats._meta.db_table)
    also = ", last_status_at = excluded.last_status_at" if at is not None else ""
    values = dict.fromkeys(sorted(COUNTERS), 0)
    values[counter] = delta
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (profile_id, followers_count, following_count, "  # noqa: S608 - names are ours
            "statuses_count, last_status_at) VALUES (%s, %s, %s, %s, %s) "
            f"ON CONFLICT (profile_id) DO UPDATE SET {counter} = {table}.{counter} + %s{also}",
            [
                profile_id,
                values["followers_count"],
                values["following_count"],
                values["statuses_count"],
                at,
                delta,
            ],
        )


def stats_for(profile_ids: Sequence[int]) -> dict[int, ProfileStats]:
    """The counters of each profile (unsaved zeros for a profile with none yet). One query."""
    found = ProfileStats.objects.in_bulk(list(profile_ids))
    return {pk: found.get(pk) or ProfileStats(profile_id=pk) for pk in profile_ids}


def stats_of(profiles: Sequence[Profile]) -> dict[int, ProfileStats]:
    """The counters of each profile, by id: those loaded with the profiles
    (`select_related("stats")`) as they are, the others in one query (none if all were)."""
    found: dict[int, ProfileStats] = {}
    missing: list[int] = []
    for profile in profiles:
        if Profile.stats.is_cached(profile):
            loaded = profile._state.fields_cache.get("stats")
            found[profile.pk] = loaded or ProfileStats(profile_id=profile.pk)
        else:
            missing.append(profile.pk)
    if missing:
        found.update(stats_for(missing))
    return found


@transaction.atomic
def stats_recount() -> int:
    """Recompute every profile's counters from the rows (after bulk writes, or to check).
    Returns the number of profiles."""
    from staffroom.graph.models import Follow
    from staffroom.posts.models import Status, Visibility

    followers = dict(
        Follow.objects.values("followee_id").annotate(n=Count("id")).values_list("followee_id", "n")
    )
    following = dict(
        Follow.objects.values("follower_id").annotate(n=Count("id")).values_list("follower_id", "n")
    )
    posted = {
        row["account_id"]: row
        for row in Status.objects.exclude(visibility=Visibility.DIRECT)
        .values("account_id")
        .annotate(n=Count("id"), last=Max("created_at"))
    }
    ProfileStats.objects.all().delete()
    ids = list(Profile.objects.values_list("pk", flat=True))
    ProfileStats.objects.bulk_create(
        [
            ProfileStats(
                profile_id=pk,
                followers_count=followers.get(pk, 0),
                following_count=following.get(pk, 0),
                statuses_count=posted[pk]["n"] if pk in posted else 0,
                last_status_at=posted[pk]["last"] if pk in posted else None,
            )
            for pk in ids
        ],
        batch_size=1000,
    )
    return len(ids)
