"""Forms of the profile pages: they check the shape of what was posted; the services
(`profiles/services.py`, `profiles/professional.py`) hold the rules and write."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from functools import cache
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from staffroom.core import limits
from staffroom.core.pln import InteractionStyle, LearningStyle, Mentorship, Purpose
from staffroom.profiles import taxonomy
from staffroom.profiles.models import TermKind
from staffroom.profiles.professional import MAX_EXPERIENCE_YEARS, MAX_TERMS, ProfessionalChanges

# One sentence per purpose, from the brief: what following for it brings.
PURPOSE_HELP = {
    Purpose.RESOURCES: _("Lesson plans, materials and tools other teachers share."),
    Purpose.PRACTICES: _("Best practices: how colleagues teach, manage and assess."),
    Purpose.INSPIRATION: _("Ideas and stories that remind you why you teach."),
    Purpose.SUPPORT: _("A place to vent and be supported by people who understand."),
    Purpose.MENTORSHIP: _("Finding a mentor, or mentoring a newer colleague."),
}
INTERACTION_HELP = {
    InteractionStyle.RECIPROCAL: _("You comment, share and build relationships both ways."),
    InteractionStyle.QUIET: _(
        "You follow and learn quietly; the people you follow may not even realise it."
    ),
}
LEARNING_HELP = {
    LearningStyle.VISUAL: _("Images, infographics and video."),
    LearningStyle.AUDITORY: _("Podcasts, audio notes and video."),
    LearningStyle.TEXTUAL: _("Posts, articles and links."),
}
PRIVACY_FIELDS = ("is_locked", "is_discoverable", "is_indexable", "hide_follows", "is_away")
LINK_COUNT = limits.PROFILE_FIELDS_MAX
TAG_SEPARATOR = ","


def _choices(terms: Iterable[taxonomy.Term]) -> list[tuple[str, Any]]:
    return [(term.slug, term.label) for term in terms]


@cache
def timezone_choices() -> list[tuple[str, str]]:
    """Every IANA time zone this machine knows, sorted, after a blank "not set" choice."""
    zones = sorted(zoneinfo.available_timezones())
    return [("", str(_("Not set"))), *((zone, zone.replace("_", " ")) for zone in zones)]


def _limited(kind: TermKind) -> list[Any]:
    """A validator that refuses more terms of `kind` than a profile may hold."""
    maximum = MAX_TERMS[kind]

    def check(values: list[str]) -> None:
        if len(values) > maximum:
            raise forms.ValidationError(
                _("Choose at most %(max)d.") % {"max": maximum}, code="too_many"
            )

    return [check]


class GoalsForm(forms.Form):
    """What the teacher wants from a PLN (onboarding step 1 and the goals settings page)."""

    purposes = forms.MultipleChoiceField(
        label=_("What do you want from your network?"),
        choices=Purpose.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interaction = forms.ChoiceField(
        label=_("How do you want to take part?"),
        choices=[("", _("Not decided yet")), *InteractionStyle.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    learning = forms.MultipleChoiceField(
        label=_("How do you like to learn?"),
        choices=LearningStyle.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class PracticeForm(forms.Form):
    """Role, subjects, grades and practices (onboarding step 2; part of the profile form)."""

    role = forms.ChoiceField(
        label=_("Your role"),
        choices=[("", _("Not set")), *_choices(taxonomy.ROLES)],
        required=False,
    )
    subjects = forms.MultipleChoiceField(
        label=_("Subjects"),
        choices=_choices(taxonomy.SUBJECTS),
        required=False,
        validators=_limited(TermKind.SUBJECT),
    )
    grades = forms.MultipleChoiceField(
        label=_("Grades"),
        choices=_choices(taxonomy.GRADES),
        required=False,
        validators=_limited(TermKind.GRADE),
    )
    practices = forms.MultipleChoiceField(
        label=_("Practices and interests"),
        choices=_choices(taxonomy.PRACTICES),
        required=False,
        validators=_limited(TermKind.PRACTICE),
    )

    def changes(self) -> ProfessionalChanges:
        data = self.cleaned_data
        return ProfessionalChanges(
            role=data["role"],
            subjects=list(data["subjects"]),
            grades=list(data["grades"]),
            practices=list(data["practices"]),
        )


class ProfileForm(PracticeForm):
    """Everything on the edit-profile page; links are `link_name_N`/`link_value_N` pairs."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=limits.DISPLAY_NAME_MAX,
        required=False,
        help_text=_("A pseudonym is fine."),
    )
    note = forms.CharField(
        label=_("Bio"),
        max_length=limits.NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown works: **bold**, *italic*, [links](https://example.org) and lists."),
    )
    avatar = forms.FileField(
        label=_("Avatar"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(limits.IMAGE_MIME_TYPES)}),
        help_text=_("PNG, JPEG, GIF or WebP. Leave empty to keep the current one."),
    )
    header = forms.FileField(
        label=_("Header image"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(limits.IMAGE_MIME_TYPES)}),
        help_text=_("A wide picture shown above your profile."),
    )
    tags = forms.CharField(
        label=_("Other interests (free tags)"),
        max_length=600,
        required=False,
        help_text=_("Separate them with commas, e.g. chess club, robotics-league."),
    )
    experience_years = forms.IntegerField(
        label=_("Years of experience"),
        min_value=0,
        max_value=MAX_EXPERIENCE_YEARS,
        required=False,
    )
    mentorship = forms.ChoiceField(
        label=_("Mentorship"),
        choices=[("", _("Neither")), *Mentorship.choices],
        required=False,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you work in"),
        choices=_choices(taxonomy.LANGUAGES),
        required=False,
        validators=_limited(TermKind.LANGUAGE),
    )
    timezone = forms.ChoiceField(label=_("Time zone"), choices=timezone_choices, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number in range(LINK_COUNT):
            self.fields[f"link_name_{number}"] = forms.CharField(
                label=_("Label %(n)d") % {"n": number + 1},
                max_length=limits.PROFILE_FIELD_NAME_MAX,
                required=False,
            )
            self.fields[f"link_value_{number}"] = forms.CharField(
                label=_("Link or text %(n)d") % {"n": number + 1},
                max_length=limits.PROFILE_FIELD_VALUE_MAX,
                required=False,
            )

    def clean_tags(self) -> list[str]:
        raw: str = self.cleaned_data.get("tags") or ""
        tags = [part.strip() for part in raw.split(TAG_SEPARATOR) if part.strip()]
        if len(tags) > MAX_TERMS[TermKind.TAG]:
            raise forms.ValidationError(
                _("Add at most %(max)d tags.") % {"max": MAX_TERMS[TermKind.TAG]},
                code="too_many",
            )
        return tags

    def links(self) -> list[dict[str, str]]:
        data = self.cleaned_data
        return [
            {"name": data[f"link_name_{n}"], "value": data[f"link_value_{n}"]}
            for n in range(LINK_COUNT)
        ]

    def upload(self, name: str) -> UploadedFile | None:
        value = self.cleaned_data.get(name)
        return value if isinstance(value, UploadedFile) else None

    def changes(self) -> ProfessionalChanges:
        data = self.cleaned_data
        changes = super().changes()
        changes.tags = list(data["tags"])
        changes.languages = list(data["languages"])
        changes.experience_years = data["experience_years"]
        changes.clear_experience = data["experience_years"] is None
        changes.mentorship = data["mentorship"]
        changes.timezone = data["timezone"]
        return changes


class PrivacyForm(forms.Form):
    is_locked = forms.BooleanField(
        label=_("Locked account"),
        required=False,
        help_text=_("You approve each new follower yourself."),
    )
    is_discoverable = forms.BooleanField(
        label=_("Discoverable"),
        required=False,
        help_text=_("Appear in the directory, in suggestions and in searches by interest."),
    )
    is_indexable = forms.BooleanField(
        label=_("Indexable"),
        required=False,
        help_text=_("Your public posts can be found in other people's full-text search."),
    )
    hide_follows = forms.BooleanField(
        label=_("Hide my follow lists"),
        required=False,
        help_text=_("Others do not see whom you follow or who follows you."),
    )
    is_away = forms.BooleanField(
        label=_("Away (summer break)"),
        required=False,
        help_text=_("Shown as away on your profile and hidden from the directory and suggestions."),
    )


def _selected(form: forms.Form, name: str) -> set[str]:
    value = form[name].value() or []
    return {value} if isinstance(value, str) else {str(item) for item in value}


def _options(form: forms.Form, name: str, terms: Iterable[taxonomy.Term]) -> list[dict[str, Any]]:
    chosen = _selected(form, name)
    return [
        {
            "value": t.slug,
            "label": t.label,
            "checked": t.slug in chosen,
            "id": f"id_{name}_{t.slug}",
        }
        for t in terms
    ]


def checkbox_groups(form: forms.Form) -> dict[str, Any]:
    """The taxonomy checkboxes of `form`, grouped for <fieldset>s: subjects under their
    parent subject, grades under their band; practices (and languages) in one group."""
    subjects = list(taxonomy.SUBJECTS)
    subject_groups: list[dict[str, Any]] = []
    single: list[taxonomy.Term] = []  # subjects without sub-areas share one group
    for parent in (term for term in subjects if not term.parent):
        areas = [term for term in subjects if term.parent == parent.slug]
        if not areas:
            single.append(parent)
            continue
        subject_groups.append(
            {"legend": parent.label, "options": _options(form, "subjects", [parent, *areas])}
        )
    if single:
        subject_groups.append(
            {"legend": _("Other subjects"), "options": _options(form, "subjects", single)}
        )
    grades = {term.slug: term for term in taxonomy.GRADES}
    grade_groups = [
        {"legend": label, "options": _options(form, "grades", [grades[g] for g in members])}
        for label, members in taxonomy.BANDS.values()
    ]
    groups: dict[str, Any] = {
        "subject_groups": subject_groups,
        "grade_groups": grade_groups,
        "practice_options": _options(form, "practices", taxonomy.PRACTICES),
    }
    if "languages" in form.fields:
        groups["language_options"] = _options(form, "languages", taxonomy.LANGUAGES)
    return groups
