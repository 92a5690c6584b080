"""The feed settings form."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from staffroom.timelines.models import SUGGESTED_PER_PAGE_MAX


class FeedPreferencesForm(forms.Form):
    suggested_per_page = forms.IntegerField(
        label=_("“From educators like you” posts per page"),
        min_value=0,
        max_value=SUGGESTED_PER_PAGE_MAX,
        help_text=format_lazy(
            _(
                "From 0 to {max}. Posts from teachers you do not follow yet, chosen because "
                "they share your subjects, levels or goals; 0 turns them off."
            ),
            max=SUGGESTED_PER_PAGE_MAX,
        ),
    )
