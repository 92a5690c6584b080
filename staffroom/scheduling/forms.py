"""The form of the scheduled posts page: a new time for one post, typed in the teacher's
own time zone."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class RescheduleForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("New date and time"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        help_text=_("In your time zone, at least 5 minutes ahead."),
    )

    def __init__(self, *args: Any, zone: tzinfo, row_id: int | str = "", **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_%s_{row_id}")
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.row_id = str(row_id)

    @classmethod
    def for_time(cls, moment: datetime, *, zone: tzinfo, row_id: int) -> RescheduleForm:
        """The form showing `moment` as the teacher's wall-clock time."""
        local = timezone.localtime(moment, zone).replace(tzinfo=None)
        return cls(initial={"scheduled_at": local}, zone=zone, row_id=row_id)

    def chosen(self) -> datetime:
        """The typed wall-clock time, in the teacher's zone (the field read it as UTC)."""
        value: datetime = self.cleaned_data["scheduled_at"]
        return timezone.make_aware(value.replace(tzinfo=None), self.zone)
