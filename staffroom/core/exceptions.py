"""Domain exceptions raised by services; each interface turns them into its own errors."""

from __future__ import annotations

# What every interface answers for an unknown id, a malformed one and a hidden record alike
# (Mastodon's words), so one cannot be told from the others.
NOT_FOUND = "Record not found"


class DomainError(Exception):
    """Base class: `message` is safe to show to the person who made the request."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationFailed(DomainError):
    status_code = 422


class PermissionDenied(DomainError):
    status_code = 403


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    status_code = 409


class RateLimited(DomainError):
    status_code = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
