"""Forms of the suggestion and starter pack pages.

They check shapes only (lengths, known slugs, how handles are written); the services check
everything that depends on the database (who may be in a pack, whose list it is), so the
web pages and the API refuse the same things with the same words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from staffroom.accounts.models import User
from staffroom.core.exceptions import NotFound
from staffroom.core.pln import Purpose
from staffroom.graph.models import LIST_TITLE_MAX_LENGTH
from staffroom.profiles import taxonomy
from staffroom.profiles.selectors import profile_lookup
from staffroom.recommendations.models import (
    PACK_ACCOUNTS_MAX,
    PACK_DESCRIPTION_MAX_LENGTH,
    PACK_TITLE_MAX_LENGTH,
)

# Handles may be separated by new lines, commas, semicolons or spaces.
_HANDLE_SEPARATORS = re.compile(r"[\s,;]+")
# Enough for every handle a pack may hold, written out in full, with room to spare.
ACCOUNTS_TEXT_MAX_LENGTH = 60_000


def _subject_choices() -> list[tuple[str, str]]:
    return [(term.slug, str(term.label)) for term in taxonomy.SUBJECTS]


def _band_choices() -> list[tuple[str, str]]:
    return [(slug, str(label)) for slug, (label, _members) in taxonomy.BANDS.items()]


def split_handles(text: str) -> list[str]:
    """Handles as written ("@ana", "ana@example.org"), in order, each once."""
    handles = [part.removeprefix("@") for part in _HANDLE_SEPARATORS.split(text) if part]
    return list(dict.fromkeys(handle for handle in handles if handle))


class PackForm(forms.Form):
    """A starter pack as its curator writes it; accounts are handles, resolved by the view."""

    title = forms.CharField(label=gettext_lazy("Title"), max_length=PACK_TITLE_MAX_LENGTH)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        max_length=PACK_DESCRIPTION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Who is this pack for, and why these accounts?"),
    )
    subjects = forms.MultipleChoiceField(choices=_subject_choices, required=False)
    grade_bands = forms.MultipleChoiceField(choices=_band_choices, required=False)
    accounts = forms.CharField(
        label=gettext_lazy("Accounts"),
        max_length=ACCOUNTS_TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=gettext_lazy(
            "Handles, one per line or separated by commas (for example @ana or "
            "ana@example.org). At most %(max)d accounts."
        )
        % {"max": PACK_ACCOUNTS_MAX},
    )

    def handles(self) -> list[str]:
        return split_handles(self.cleaned_data.get("accounts", ""))


def resolve_handles(handles: Sequence[str], viewer: User) -> tuple[list[int], list[str]]:
    """Profile ids for `handles`, in order, and the handles that match no account the
    viewer may see (one query each: a pack holds at most 150)."""
    ids: list[int] = []
    unknown: list[str] = []
    for handle in handles:
        try:
            ids.append(profile_lookup(handle, viewer).pk)
        except NotFound:
            unknown.append(handle)
    return ids, unknown


def unknown_handles_error(unknown: Iterable[str]) -> str:
    shown = [f"@{handle}" for handle in list(unknown)[:10]]
    return _("No account found for %(handles)s.") % {"handles": ", ".join(shown)}


def checkbox_options(
    form: forms.Form, name: str, choices: Iterable[tuple[str, Any]]
) -> list[dict[str, Any]]:
    """Options for `profiles/_checkboxes.html`, checked from the form's current value."""
    value = form[name].value() or []
    chosen = {value} if isinstance(value, str) else {str(item) for item in value}
    return [
        {"value": slug, "label": label, "checked": slug in chosen, "id": f"id_{name}_{slug}"}
        for slug, label in choices
    ]


def pack_form_groups(form: PackForm) -> dict[str, Any]:
    """The subject checkboxes grouped under their subject, and the grade bands."""
    groups: list[dict[str, Any]] = []
    single: list[tuple[str, Any]] = []
    for parent in (term for term in taxonomy.SUBJECTS if not term.parent):
        areas = [(t.slug, t.label) for t in taxonomy.SUBJECTS if t.parent == parent.slug]
        if not areas:
            single.append((parent.slug, parent.label))
            continue
        options = checkbox_options(form, "subjects", [(parent.slug, parent.label), *areas])
        groups.append({"legend": parent.label, "options": options})
    if single:
        groups.append(
            {"legend": _("Other subjects"), "options": checkbox_options(form, "subjects", single)}
        )
    bands = [(slug, label) for slug, (label, _members) in taxonomy.BANDS.items()]
    return {"subject_groups": groups, "band_options": checkbox_options(form, "grade_bands", bands)}


class PackFollowForm(forms.Form):
    """ "Follow all": optionally into one of the teacher's lists or into a new one."""

    list_id = forms.CharField(label=gettext_lazy("Add them to"), required=False, max_length=20)
    new_list_title = forms.CharField(
        label=gettext_lazy("Or a new list named"),
        required=False,
        max_length=LIST_TITLE_MAX_LENGTH,
    )
    new_list_purpose = forms.ChoiceField(
        label=gettext_lazy("Its purpose"),
        choices=[("", gettext_lazy("No particular purpose")), *Purpose.choices],
        required=False,
    )


class PackFilterForm(forms.Form):
    """The starter pack list's filters; an unknown slug is an error, not an empty page."""

    subject = forms.ChoiceField(
        label=gettext_lazy("Subject"),
        choices=lambda: [("", _("Any subject")), *_subject_choices()],
        required=False,
    )
    band = forms.ChoiceField(
        label=gettext_lazy("Grade band"),
        choices=lambda: [("", _("Any grade band")), *_band_choices()],
        required=False,
    )
