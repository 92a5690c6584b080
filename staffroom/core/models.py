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


class JobStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    DEAD = "dead", "Dead"


class Job(models.Model):
    """One durable background job: the row is the truth, the task queue only wakes workers.

    Written by `core.jobs.enqueue` in the caller's transaction and moved through its states
    only by `core.jobs` (claim, finish, retry, sweep). See docs/subsystems/jobs.md.
    """

    task_path = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    max_attempts = models.PositiveIntegerField(default=5)
    run_after = models.DateTimeField()
    # When a wake-up was last sent to the queue; the sweeper re-wakes only long-silent jobs.
    woken_at = models.DateTimeField(null=True, blank=True)
    # The lease of a running job: who holds it (a token unique to one claim) and until when.
    locked_by = models.CharField(max_length=200, blank=True, default="")
    locked_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "run_after"], name="core_job_status_run_after"),
            models.Index(fields=["status", "locked_until"], name="core_job_status_locked"),
            models.Index(fields=["task_path", "status"], name="core_job_path_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_attempts__gte=1), name="core_job_max_attempts_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_path}#{self.pk} ({self.status}, attempt {self.attempts})"


class ScheduleEntry(models.Model):
    """When a periodic job (core/scheduler.py) is next due; claimed with a conditional UPDATE."""

    name = models.CharField(max_length=100, unique=True)
    next_run_at = models.DateTimeField()
    last_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "schedule entries"

    def __str__(self) -> str:
        return f"{self.name} next at {self.next_run_at:%Y-%m-%d %H:%M:%S}"


class Heartbeat(models.Model):
    """The last sign of life of a background component ("worker", "scheduler"), for /healthz."""

    name = models.CharField(max_length=50, unique=True)
    hostname = models.CharField(max_length=255, blank=True, default="")
    pid = models.PositiveIntegerField(null=True, blank=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} seen {self.seen_at:%Y-%m-%d %H:%M:%S}"


class InstanceDomain(models.Model):
    """The server's domain (STAFFROOM_DOMAIN) as first used on this database: one row.

    Every local URI and address is built from the domain, and other servers and clients
    keep them, so a start with another STAFFROOM_DOMAIN is refused, and one without it uses
    this one (core/domain.py). `staffroom domain --change` is the deliberate way to move.
    """

    domain = models.CharField(max_length=253)
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.domain
