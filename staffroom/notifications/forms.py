"""The notification settings forms: per kind, shown or not, and e-mailed or not; and the
notification policy (per category of sender: show, put aside or ignore)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from staffroom.notifications.models import NotificationKind, PolicyChoice


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


class NotificationPolicyForm(forms.Form):
    """Filter notifications from...: per category of sender, show, put aside or ignore."""

    for_not_following = forms.ChoiceField(
        label=_("People you don't follow"),
        choices=PolicyChoice.choices,
        widget=forms.RadioSelect,
        help_text=_("Anyone you have not followed yourself."),
    )
    for_not_followers = forms.ChoiceField(
        label=_("People who don't follow you"),
        choices=PolicyChoice.choices,
        widget=forms.RadioSelect,
        help_text=_("Including people who started following you less than 3 days ago."),
    )
    for_new_accounts = forms.ChoiceField(
        label=_("New accounts"),
        choices=PolicyChoice.choices,
        widget=forms.RadioSelect,
        help_text=_("Accounts created in the past 30 days."),
    )
    for_private_mentions = forms.ChoiceField(
        label=_("Unsolicited private mentions"),
        choices=PolicyChoice.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Direct posts from people you don't follow, unless they reply to something "
            "you wrote to them."
        ),
    )
    for_limited_accounts = forms.ChoiceField(
        label=_("Accounts limited by moderators"),
        choices=PolicyChoice.choices,
        widget=forms.RadioSelect,
        help_text=_("Accounts the moderators of this server have limited."),
    )
