"""The administrators' announcement form: it only shapes what was typed; the service checks
the text and the times again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from staffroom.announcements.models import TEXT_MAX_LENGTH


class AnnouncementForm(forms.Form):
    text = forms.CharField(
        label=_("Announcement"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown: paragraphs, emphasis, links and lists."),
    )
    starts_at = forms.DateTimeField(
        label=_("Event starts"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_(
            "Optional: for an event, its start and end (the announcement goes away once it ends)."
        ),
    )
    ends_at = forms.DateTimeField(
        label=_("Event ends"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    all_day = forms.BooleanField(label=_("All-day event"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if (starts is None) != (ends is None):
            raise forms.ValidationError(
                _("Give both the start and the end of the event, or neither.")
            )
        if starts is not None and ends is not None and ends < starts:
            raise forms.ValidationError(_("The event ends before it starts."))
        return data


class NewAnnouncementForm(AnnouncementForm):
    publish = forms.BooleanField(
        label=_("Publish now (leave unticked to keep it as a draft)"),
        required=False,
        initial=True,
    )
