"""The Settings → Filters forms: a filter (title, contexts, action, expiry) and its keyword
rows (a formset: each row a keyword, its whole-word toggle and, for a saved one, Remove)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from staffroom.filters.models import KEYWORD_MAX_LENGTH, TITLE_MAX_LENGTH, FilterContext

KEEP_EXPIRY = "keep"
NEVER = "never"
EXPIRY_CHOICES = [
    (NEVER, _("Never")),
    ("1800", _("30 minutes")),
    ("3600", _("1 hour")),
    ("21600", _("6 hours")),
    ("43200", _("12 hours")),
    ("86400", _("1 day")),
    ("604800", _("1 week")),
]
ACTION_CHOICES = [
    ("warn", _("Hide behind a warning (you can still show the post)")),
    ("hide", _("Hide completely")),
]


class FilterForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    context = forms.MultipleChoiceField(
        label=_("Where it applies"),
        choices=FilterContext.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one place where the filter applies.")},
    )
    action = forms.ChoiceField(
        label=_("What to do with a matching post"),
        choices=ACTION_CHOICES,
        widget=forms.RadioSelect,
        initial="warn",
    )
    expires = forms.ChoiceField(label=_("Expires after"), choices=EXPIRY_CHOICES, initial=NEVER)

    def __init__(self, *args: object, editing: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if editing:
            field = self.fields["expires"]
            assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
            field.choices = [(KEEP_EXPIRY, _("Keep as it is")), *EXPIRY_CHOICES]
            field.initial = KEEP_EXPIRY

    def keeps_expiry(self) -> bool:
        return bool(self.cleaned_data["expires"] == KEEP_EXPIRY)

    def expires_in(self) -> int | None:
        """Seconds, None for never (and for "keep as it is": see `keeps_expiry`)."""
        value = self.cleaned_data["expires"]
        return None if value in (NEVER, KEEP_EXPIRY) else int(value)


class KeywordForm(forms.Form):
    id = forms.CharField(required=False, widget=forms.HiddenInput)
    keyword = forms.CharField(
        label=_("Keyword or phrase"), max_length=KEYWORD_MAX_LENGTH, required=False
    )
    whole_word = forms.BooleanField(label=_("Whole word"), required=False, initial=True)
    remove = forms.BooleanField(label=_("Remove"), required=False)


KeywordFormSet = forms.formset_factory(KeywordForm, extra=3, max_num=1000, validate_max=True)
