"""Forms of the graph pages: muting, and creating or changing a purpose list.

Ids of profiles and lists are passed to the services as they come (they check ownership and
answer NotFound for another person's list), so no form repeats those rules.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from staffroom.core.pln import Purpose
from staffroom.graph.models import DOMAIN_MAX_LENGTH, LIST_TITLE_MAX_LENGTH

HOUR = 60 * 60
MUTE_DURATIONS = [
    (str(HOUR), _("1 hour")),
    (str(24 * HOUR), _("1 day")),
    (str(7 * 24 * HOUR), _("1 week")),
    ("0", _("Until I unmute")),
]


class MuteForm(forms.Form):
    duration = forms.TypedChoiceField(
        label=_("For how long"), choices=MUTE_DURATIONS, coerce=int, initial="0"
    )
    notifications = forms.BooleanField(
        label=_("Hide their notifications too"), required=False, initial=True
    )


class PurposeListForm(forms.Form):
    title = forms.CharField(label=_("Name"), max_length=LIST_TITLE_MAX_LENGTH, strip=True)
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=[("", _("No particular purpose")), *Purpose.choices],
        required=False,
    )
    exclusive = forms.BooleanField(
        label=_("Keep these posts out of my home feed"),
        required=False,
        help_text=_("Their posts then appear only in this list's feed."),
    )


class DomainBlockForm(forms.Form):
    domain = forms.CharField(
        label=_("Server to block"),
        max_length=DOMAIN_MAX_LENGTH * 2,
        strip=True,
        help_text=_("Its domain name, like example.org"),
    )


def first_error(form: forms.Form) -> str:
    """The first error of an invalid form, as one sentence for a message."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        return f"{label}: {errors[0]}" if label else str(errors[0])
    return str(_("Please check the form."))
