"""Forms of the post pages: the composer (new posts and replies) and the edit form.

The forms only shape the input; the rules (blank, length counted with links as 23
characters, mentions, language codes, rate limits) live in `posts.services`, which every
interface shares. The text field therefore carries no `maxlength`: the browser would count
a long link in full and refuse a post the server accepts.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from staffroom.core import limits
from staffroom.posts.models import Visibility
from staffroom.posts.services import IDEMPOTENCY_KEY_MAX, SPOILER_MAX, PostText
from staffroom.profiles import taxonomy

# One plain sentence per audience, shown under each radio button.
VISIBILITY_HELP: dict[str, Promise] = {
    Visibility.PUBLIC: _("Anyone can see it, and it appears in public feeds and hashtags."),
    Visibility.UNLISTED: _(
        "Anyone with the link can see it, but it stays out of public feeds and hashtags."
    ),
    Visibility.FOLLOWERS: _(
        "Only your approved followers. Someone whose follow request is still pending "
        "does not see it."
    ),
    Visibility.CONNECTIONS: _("Only your accepted connections. It never leaves this server."),
    Visibility.DIRECT: _("Only the people you @mention in the post."),
}


def _language_choices(current: str = "") -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = [("", _("Not specified"))]
    choices += [(term.slug, term.label) for term in taxonomy.LANGUAGES]
    if current and current not in taxonomy.LANGUAGE_SLUGS:
        choices.append((current, current))  # set over the API, e.g. pt-BR: kept as it is
    return choices


class _PostFields(forms.Form):
    text = forms.CharField(
        label=_("Your post"),
        strip=False,  # the service strips, and counts what it keeps
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write something first: the post is empty.")},
    )
    spoiler_text = forms.CharField(
        label=_("Content warning"),
        required=False,
        max_length=SPOILER_MAX,
        help_text=_("Readers see only this line until they choose to open the post."),
    )
    language = forms.ChoiceField(label=_("Language"), required=False, choices=())

    def __init__(self, *args: Any, language: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = _language_choices(language)  # type: ignore[attr-defined]
        self.fields["text"].help_text = _("Up to %(max)d characters; a link counts as %(url)d.") % {
            "max": limits.post_characters_max(),
            "url": limits.CHARACTERS_RESERVED_PER_URL,
        }

    def draft(self) -> PostText:
        data = self.cleaned_data
        return PostText(
            text=data["text"], spoiler_text=data["spoiler_text"], language=data["language"]
        )


class ComposeForm(_PostFields):
    """A new post or a reply. `idempotency_key` is new on each render, so a form sent
    twice (a double click, a resent request) makes one post."""

    visibility = forms.ChoiceField(
        label=_("Who can see it"),
        choices=Visibility.choices,
        initial=Visibility.PUBLIC,
        widget=forms.RadioSelect,
    )
    idempotency_key = forms.CharField(
        max_length=IDEMPOTENCY_KEY_MAX, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)

    def visibility_options(self) -> list[dict[str, Any]]:
        """Each audience with its explanation, for the radio buttons the template draws."""
        chosen = self["visibility"].value() or Visibility.PUBLIC
        return [
            {
                "value": value,
                "label": label,
                "help": VISIBILITY_HELP[value],
                "checked": value == chosen,
                "id": f"{self['visibility'].auto_id}_{value}",
            }
            for value, label in Visibility.choices
        ]


class EditForm(_PostFields):
    """Changing a post: text, content warning and language. Visibility never changes."""
