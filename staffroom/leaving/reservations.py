"""Handles of deleted accounts stay reserved: nobody may register them again."""

from __future__ import annotations

from staffroom.leaving.models import ReservedHandle
from staffroom.profiles.handles import normalize_handle


def handle_is_reserved(handle: str) -> bool:
    """Whether `handle` belonged to a deleted (or deleting) local account."""
    return ReservedHandle.objects.filter(handle__iexact=normalize_handle(handle)).exists()
