from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from staffroom.profiles.handles import normalize_handle


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm_handle = forms.CharField(
        label=_("Type your handle to confirm"),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )

    def __init__(self, *args: Any, handle: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.handle = handle
        self.fields["confirm_handle"].help_text = _("Your handle is %(handle)s.") % {
            "handle": handle
        }

    def clean_confirm_handle(self) -> str:
        typed: str = self.cleaned_data["confirm_handle"]
        if normalize_handle(typed.lstrip("@")) != normalize_handle(self.handle):
            raise forms.ValidationError(_("That is not your handle."), code="handle_mismatch")
        return typed
