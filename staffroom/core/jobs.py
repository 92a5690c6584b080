"""Background jobs (placeholder interface; the durable implementation replaces this)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ParamSpec

from django.db import transaction

P = ParamSpec("P")


class JobFunction:
    def __init__(self, func: Callable[..., None], *, max_attempts: int) -> None:
        self.func = func
        self.max_attempts = max_attempts
        self.path = f"{func.__module__}.{func.__qualname__}"

    def __call__(self, **kwargs: Any) -> None:
        self.func(**kwargs)


def job(*, max_attempts: int = 5) -> Callable[[Callable[..., None]], JobFunction]:
    def wrap(func: Callable[..., None]) -> JobFunction:
        return JobFunction(func, max_attempts=max_attempts)

    return wrap


def enqueue(job_function: JobFunction, **kwargs: Any) -> None:
    transaction.on_commit(lambda: job_function(**kwargs))
