"""The notification settings form: per kind, shown or not, and e-mailed or not."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from staffroom.notifications.models import NotificationKind


class NotificationSettingsForm(forms.Form):
    shown = forms.MultipleChoiceField(
        label=_("Show in your notifications"),
        choices=NotificationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kinds you untick are not kept at all, not only hidden."),
    )
    emailed = forms.MultipleChoiceField(
        label=_("E-mail me"),
        choices=NotificationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Off unless you choose. E-mails are sent in batches, a few notifications "
            "together, never one per notification; every e-mail has an unsubscribe link."
        ),
    )
