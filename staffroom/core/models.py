"""Models of the core app: shared plumbing, no domain data."""

from __future__ import annotations

from django.db import models


class RateLimitCounter(models.Model):
    """One fixed window of a rate limit, counted in the database.

    Used when there is no Redis: django-ratelimit refuses local-memory and database caches,
    and a counter must be shared by every web process. See core/ratelimit.py.
    """

    key = models.CharField(max_length=200)
    window_start = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="ratelimit_key_window")
        ]

    def __str__(self) -> str:
        return f"{self.key}@{self.window_start}: {self.count}"
