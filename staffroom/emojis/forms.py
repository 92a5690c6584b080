"""The administrators' emoji form: it only shapes what was sent; the service checks the
shortcode and the image again and has the last word."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from staffroom.emojis.models import CATEGORY_MAX_LENGTH, EMOJI_MAX_BYTES, SHORTCODE_MAX_LENGTH


class EmojiForm(forms.Form):
    shortcode = forms.CharField(
        label=_("Shortcode"),
        max_length=SHORTCODE_MAX_LENGTH + 2,
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
        help_text=_("Letters, digits and underscores, at least two: teachers type :shortcode:."),
    )
    image = forms.FileField(
        label=_("Emoji image"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/gif,image/webp"}),
        help_text=_("A PNG, GIF or WebP of at most %(size)d KB; it is shown at 128 pixels at most.")
        % {"size": EMOJI_MAX_BYTES // 1024},
    )
    category = forms.CharField(label=_("Category"), max_length=CATEGORY_MAX_LENGTH, required=False)
    visible_in_picker = forms.BooleanField(
        label=_("List it in apps' emoji pickers"), required=False, initial=True
    )
