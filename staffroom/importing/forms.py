"""The upload form of Settings → Import."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from staffroom.importing.models import ImportMode, ImportType


class ImportForm(forms.Form):
    type = forms.ChoiceField(label=_("What the file holds"), choices=ImportType.choices)
    mode = forms.ChoiceField(
        label=_("How to import it"),
        choices=ImportMode.choices,
        initial=ImportMode.MERGE,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("A CSV file exported from Mastodon or Staffroom, at most 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
