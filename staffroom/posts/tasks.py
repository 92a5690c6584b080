"""Background jobs of posts."""

from __future__ import annotations

from datetime import timedelta

from staffroom.core.jobs import job
from staffroom.core.scheduler import periodic
from staffroom.posts.services import idempotency_keys_prune


@periodic(every=timedelta(hours=1), name="posts.idempotency-keys-prune")
@job(max_attempts=3)
def idempotency_keys_prune_task() -> None:
    """Forget `Idempotency-Key`s older than the hour they answer for (idempotent)."""
    idempotency_keys_prune()
