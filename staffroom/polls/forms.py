"""The vote form of a poll on a post's card (radio buttons, or checkboxes when several
answers may be chosen)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class VoteForm(forms.Form):
    choices = forms.TypedMultipleChoiceField(
        label=_("Your answer"),
        coerce=int,
        error_messages={"required": _("Choose an answer first.")},
    )

    def __init__(self, *args: Any, option_count: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["choices"].choices = [(str(i), str(i)) for i in range(option_count)]  # type: ignore[attr-defined]
