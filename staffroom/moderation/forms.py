"""Forms of the moderation pages. They only shape what was typed; the limits and who may do
what are checked again by the services (`moderation/services.py`), which have the last word."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from staffroom.accounts.models import StaffRole
from staffroom.moderation.models import (
    NOTE_MAX_LENGTH,
    REPORT_COMMENT_MAX_LENGTH,
    REPORT_POSTS_MAX,
    RULE_HINT_MAX_LENGTH,
    RULE_TEXT_MAX_LENGTH,
    ActionKind,
    ReportCategory,
    Rule,
)
from staffroom.moderation.services import TERMS_MAX_LENGTH
from staffroom.profiles.handles import HANDLE_MAX_LENGTH


class ReportForm(forms.Form):
    """Report an account: some of its posts (`post_choices`: the ones shown), a category,
    the rules broken, a comment. `forward` is offered for accounts on other servers only."""

    statuses = forms.TypedMultipleChoiceField(
        label=_("Posts to include"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Optional. At most %(count)d posts.") % {"count": REPORT_POSTS_MAX},
    )
    category = forms.ChoiceField(
        label=_("What is wrong?"),
        choices=ReportCategory.choices,
        widget=forms.RadioSelect,
    )
    rules = forms.TypedMultipleChoiceField(
        label=_("Which rules does it break?"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    comment = forms.CharField(
        label=_("Anything the moderators should know?"),
        max_length=REPORT_COMMENT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    forward = forms.BooleanField(
        label=_("Also send an anonymous copy to the account's own server"),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        post_choices: Sequence[tuple[int, str]] = (),
        rules: Sequence[Rule] = (),
        remote: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["statuses"].choices = list(post_choices)  # type: ignore[attr-defined]
        if rules:
            self.fields["rules"].choices = [(rule.pk, rule.text) for rule in rules]  # type: ignore[attr-defined]
        else:
            del self.fields["rules"]
        if not remote:
            del self.fields["forward"]

    def clean_statuses(self) -> list[int]:
        chosen: list[int] = self.cleaned_data.get("statuses") or []
        if len(chosen) > REPORT_POSTS_MAX:
            raise forms.ValidationError(
                _("Choose at most %(count)d posts."), params={"count": REPORT_POSTS_MAX}
            )
        return chosen


class NoteForm(forms.Form):
    """The note a moderator leaves with an action: the person acted on reads it."""

    note = forms.CharField(
        label=_("Note to the person"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    status = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class RuleForm(forms.Form):
    text = forms.CharField(label=_("Rule"), max_length=RULE_TEXT_MAX_LENGTH)
    hint = forms.CharField(
        label=_("Explanation"),
        max_length=RULE_HINT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RuleEditForm(RuleForm):
    position = forms.IntegerField(
        label=_("Position"),
        min_value=0,
        required=False,
        help_text=_("Rules are listed by position, smallest first."),
    )


class TermsForm(forms.Form):
    terms = forms.CharField(
        label=_("Terms of service"),
        max_length=TERMS_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Markdown: paragraphs, emphasis, links and lists."),
    )


class RoleForm(forms.Form):
    handle = forms.CharField(
        label=_("Handle"),
        max_length=HANDLE_MAX_LENGTH + 1,
        widget=forms.TextInput(attrs={"autocapitalize": "none"}),
        help_text=_("A teacher on this server, e.g. @MathWithMsK."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=StaffRole.choices)


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of action"),
        choices=[("", _("Every kind")), *ActionKind.choices],
        required=False,
    )
