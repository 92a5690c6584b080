"""Signals the graph sends for changes Django's model signals do not report: list members
are added with one bulk INSERT, which sends no `post_save`. Feeds listen (timelines)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with `pairs`: a list of (list_id, profile_id) just added to purpose lists (some may
# have been there already: receivers must be idempotent).
list_members_added = Signal()
