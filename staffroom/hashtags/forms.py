"""The settings page's forms: a hashtag to follow or to feature."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from staffroom.posts.models import TAG_NAME_MAX_LENGTH


class TagNameForm(forms.Form):
    """One hashtag, with or without its `#` (the services check it is one)."""

    name = forms.CharField(
        label=_("Hashtag to follow"),
        max_length=TAG_NAME_MAX_LENGTH + 1,  # room for a leading "#"
        help_text=_("Letters, digits and underscores, like #edchat."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class FeatureTagForm(TagNameForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["name"].label = _("Hashtag to feature")
