"""Forms of the settings pages for applications."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

SCOPE_CHOICES = [
    ("read", _("read: see your posts, follows, lists and notifications")),
    ("write", _("write: post, follow, change your profile")),
    ("follow", _("follow: follow, block and mute (older apps ask for this)")),
    ("push", _("push: receive push notifications")),
]


class DevelopmentApplicationForm(forms.Form):
    name = forms.CharField(label=_("Application name"), max_length=100)
    website = forms.URLField(
        label=_("Website"), required=False, max_length=2000, assume_scheme="https"
    )
    scopes = forms.MultipleChoiceField(
        label=_("What the token may do"),
        choices=SCOPE_CHOICES,
        initial=["read"],
        widget=forms.CheckboxSelectMultiple,
    )
