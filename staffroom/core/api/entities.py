"""Entities every API shares."""

from __future__ import annotations

from typing import TypedDict


class EmptyEntity(TypedDict):
    """Mastodon's empty object, `{}`: what a delete, a dismissal or an action answers."""
