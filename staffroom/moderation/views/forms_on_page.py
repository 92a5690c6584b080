"""The action forms a moderation page shows, one per action a moderator may take there.

Each is a small POST form (CSRF, works without JavaScript) with a note to the person; they
are described here, once, so the report and account pages render them the same way and a
refused action can show its form again with the note kept."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ActionForm:
    key: str  # unique on the page: the ids of the form's fields derive from it
    url: str
    title: str
    button: str
    note_label: str
    status_id: int | None = None
    note: str = ""
    danger: bool = False
    error: str = ""


def keep_typed(forms: list[ActionForm], key: str, note: str, error: str) -> None:
    """Show the refused form's note again, with the reason beside it."""
    for form in forms:
        if form.key == key:
            form.note, form.error = note, error
