"""Forms of the post pages: the composer (new posts and replies) and the edit form.

The forms only shape the input; the rules (blank, length counted with links as 23
characters, mentions, language codes, rate limits) live in `posts.services`, which every
interface shares. The text field therefore carries no `maxlength`: the browser would count
a long link in full and refuse a post the server accepts.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from staffroom.core import limits
from staffroom.media.cards import MediaCard
from staffroom.media.services import ATTACHMENTS_MAX, MediaDescription
from staffroom.polls.services import PollDraft
from staffroom.posts.models import Visibility
from staffroom.posts.posting_defaults import posting_defaults
from staffroom.posts.services import IDEMPOTENCY_KEY_MAX, SPOILER_MAX, PostText
from staffroom.profiles import taxonomy
from staffroom.profiles.models import Profile

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

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


EMPTY_POST = _("Write something first: the post is empty.")
# How long a poll from the composer runs, in seconds (within the instance's limits).
POLL_DURATIONS: list[tuple[str, Promise]] = [
    (str(5 * 60), _("5 minutes")),
    (str(30 * 60), _("30 minutes")),
    (str(60 * 60), _("1 hour")),
    (str(6 * 60 * 60), _("6 hours")),
    (str(24 * 60 * 60), _("1 day")),
    (str(3 * 24 * 60 * 60), _("3 days")),
    (str(7 * 24 * 60 * 60), _("7 days")),
]
POLL_DURATION_DEFAULT = str(24 * 60 * 60)
# What the composer's file input offers (the server decides from the bytes, whatever this says).
MEDIA_ACCEPT = (
    "image/jpeg,image/png,image/gif,image/webp,audio/*,video/*,application/pdf,"
    ".pdf,.docx,.xlsx,.pptx,.odt,.ods,.odp"
)
DESCRIBE_HELP: dict[str, StrPromise] = {
    "image": _("Describe this image for colleagues who cannot see it."),
    "audio": _("What the recording is about, for colleagues who cannot hear it."),
    "video": _("What the video shows, for colleagues who cannot see it."),
    "document": _("What the document is, in a sentence (optional)."),
}


def _language_choices(current: str = "") -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = [("", _("Not specified"))]
    choices += [(term.slug, term.label) for term in taxonomy.LANGUAGES]
    if current and current not in taxonomy.LANGUAGE_SLUGS:
        choices.append((current, current))  # set over the API, e.g. pt-BR: kept as it is
    return choices


class _PostFields(forms.Form):
    # Not required: a post with media may have no text (`clean` asks for one without).
    text = forms.CharField(
        label=_("Your post"),
        required=False,
        strip=False,  # the service strips, and counts what it keeps
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    spoiler_text = forms.CharField(
        label=_("Content warning"),
        required=False,
        max_length=SPOILER_MAX,
        help_text=_("Readers see only this line until they choose to open the post."),
    )
    sensitive = forms.BooleanField(
        label=_("Sensitive: hide the post and its media until readers choose to show them"),
        required=False,
    )
    language = forms.ChoiceField(label=_("Language"), required=False, choices=())

    def __init__(self, *args: Any, language: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = _language_choices(language)  # type: ignore[attr-defined]
        self.fields["text"].help_text = _("Up to %(max)d characters; a link counts as %(url)d.") % {
            "max": limits.post_characters_max(),
            "url": limits.CHARACTERS_RESERVED_PER_URL,
        }

    def has_media(self) -> bool:
        return False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not str(cleaned.get("text") or "").strip() and not self.has_media():
            self.add_error("text", EMPTY_POST)
        return cleaned

    def draft(self) -> PostText:
        data = self.cleaned_data
        return PostText(
            text=data["text"],
            spoiler_text=data["spoiler_text"],
            sensitive=data["sensitive"],
            language=data["language"],
        )


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files from one `<input type="file" multiple>`: a list, maybe empty."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        items = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in items if item]


def description_field_name(media_id: int | str) -> str:
    return f"media_description_{media_id}"


def transcript_field_name(media_id: int | str) -> str:
    return f"media_transcript_{media_id}"


def _posted_media_ids(data: Any) -> list[str]:
    if not hasattr(data, "getlist"):
        return []
    return [str(value).strip() for value in data.getlist("media_ids") if str(value).strip()]


class ComposeForm(_PostFields):
    """A new post or a reply. `idempotency_key` is new on each render, so a form sent
    twice (a double click, a resent request) makes one post.

    Media come two ways. With script, each file is uploaded at once (`/media-upload`) and
    the form sends `media_ids` in order, with `media_description_<id>` and
    `media_transcript_<id>` for each. Without it, the files ride in `media_files` with one
    `media_description` for them all, and `publish` uploads them with the post.
    `pending_media` holds the uploads to show again when a post is refused."""

    visibility = forms.ChoiceField(
        label=_("Who can see it"),
        choices=Visibility.choices,
        initial=Visibility.PUBLIC,
        widget=forms.RadioSelect,
    )
    idempotency_key = forms.CharField(
        max_length=IDEMPOTENCY_KEY_MAX, required=False, widget=forms.HiddenInput
    )
    media_files = MultipleFileField(
        label=_("Add media"),
        widget=MultipleFileInput(attrs={"multiple": True, "accept": MEDIA_ACCEPT}),
    )
    media_description = forms.CharField(
        label=_("Describe your media"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Describe each image for colleagues who cannot see it, and what each recording "
            "says for colleagues who cannot hear it."
        ),
    )

    scheduled_at = forms.DateTimeField(
        label=_("Schedule for later"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_(
            "Leave empty to publish now. A date and time in your time zone (set in your "
            "profile), at least 5 minutes ahead: the post waits on your Scheduled posts page."
        ),
    )
    poll_duration = forms.TypedChoiceField(
        label=_("Poll runs for"),
        choices=POLL_DURATIONS,
        coerce=int,
        initial=POLL_DURATION_DEFAULT,
        required=False,
    )
    poll_multiple = forms.BooleanField(label=_("Allow several answers"), required=False)

    media_max = ATTACHMENTS_MAX
    poll_options_max = limits.POLL_OPTIONS_MAX

    @classmethod
    def for_author(cls, author: Profile) -> ComposeForm:
        """An empty composer with the author's default visibility chosen."""
        return cls(initial={"visibility": posting_defaults(author).visibility})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pending_media: list[MediaCard] = []
        self.fields["media_files"].help_text = _(
            "Up to %(max)d images, audio or video recordings, or documents (PDF, Word, "
            "PowerPoint, Excel, OpenDocument). You can also drop files here."
        ) % {"max": ATTACHMENTS_MAX}
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)
        for number in range(1, limits.POLL_OPTIONS_MAX + 1):
            self.fields[f"poll_option_{number}"] = forms.CharField(
                label=_("Answer %(number)d") % {"number": number},
                required=False,
                max_length=limits.POLL_OPTION_CHARS_MAX,
            )

    def poll_option_fields(self) -> list[forms.BoundField]:
        return [self[f"poll_option_{n}"] for n in range(1, limits.POLL_OPTIONS_MAX + 1)]

    def poll_draft(self) -> PollDraft | None:
        """The poll the teacher filled in (the answers they typed, in order), or None."""
        data = self.cleaned_data
        options = [
            str(data.get(f"poll_option_{n}") or "").strip()
            for n in range(1, limits.POLL_OPTIONS_MAX + 1)
        ]
        typed = tuple(option for option in options if option)
        if not typed:
            return None
        return PollDraft(
            options=typed,
            expires_in=data.get("poll_duration") or int(POLL_DURATION_DEFAULT),
            multiple=bool(data.get("poll_multiple")),
        )

    def scheduled_for(self, zone: tzinfo) -> datetime | None:
        """The time the teacher chose, read as a wall-clock time in `zone`; None to publish
        now. (The field read it in the server's zone: only its wall-clock time is kept.)"""
        chosen: datetime | None = self.cleaned_data.get("scheduled_at")
        if chosen is None:
            return None
        return timezone.make_aware(chosen.replace(tzinfo=None), zone)

    def media_ids(self) -> list[str]:
        """The uploads the script attached, in the order the teacher chose."""
        return _posted_media_ids(self.data)

    def has_media(self) -> bool:
        return bool(self.media_ids() or self.files.getlist("media_files"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        count = len(self.media_ids()) + len(cleaned.get("media_files") or [])
        if count > ATTACHMENTS_MAX:
            self.add_error(
                "media_files",
                _("A post may carry at most %(max)d attachments.") % {"max": ATTACHMENTS_MAX},
            )
        return cleaned

    def media_changes(self) -> list[MediaDescription]:
        """The alt text and transcript typed for each upload the script attached (None
        where the page sent no field: the upload keeps what it has)."""
        return [
            MediaDescription(
                media_id=media_id,
                description=self.data.get(description_field_name(media_id)),
                transcript=self.data.get(transcript_field_name(media_id)),
            )
            for media_id in self.media_ids()
        ]

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
    """Changing a post: text, content warning, language, and its attachments' alt text and
    transcripts (or removing some). Visibility never changes."""

    def __init__(self, *args: Any, attachments: Sequence[MediaCard] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.attachments = list(attachments)
        for item in self.attachments:
            self.fields[description_field_name(item.id)] = forms.CharField(
                label=_("Alt text") if item.is_image else _("Description"),
                required=False,
                strip=False,
                initial=item.description,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=DESCRIBE_HELP[item.kind],
            )
            if item.is_recording:
                self.fields[transcript_field_name(item.id)] = forms.CharField(
                    label=_("Transcript"),
                    required=False,
                    strip=False,
                    initial=item.transcript,
                    widget=forms.Textarea(attrs={"rows": 4}),
                )
            self.fields[f"media_remove_{item.id}"] = forms.BooleanField(
                label=_("Remove this attachment"), required=False
            )

    def media_rows(self) -> list[dict[str, Any]]:
        """Each attachment with its bound fields, for the template."""
        return [
            {
                "item": item,
                "description": self[description_field_name(item.id)],
                "transcript": self[transcript_field_name(item.id)] if item.is_recording else None,
                "remove": self[f"media_remove_{item.id}"],
            }
            for item in self.attachments
        ]

    def _kept(self) -> list[MediaCard]:
        return [
            item
            for item in self.attachments
            if not self.cleaned_data.get(f"media_remove_{item.id}")
        ]

    def has_media(self) -> bool:
        if not hasattr(self, "cleaned_data"):
            return bool(self.attachments)
        return bool(self._kept())

    def kept_media_ids(self) -> list[int] | None:
        """The attachments that stay, in order; None when none is removed."""
        kept = self._kept()
        return None if len(kept) == len(self.attachments) else [item.id for item in kept]

    def media_changes(self) -> list[MediaDescription]:
        return [
            MediaDescription(
                media_id=item.id,
                description=self.cleaned_data.get(description_field_name(item.id), ""),
                transcript=(
                    self.cleaned_data.get(transcript_field_name(item.id), "")
                    if item.is_recording
                    else None
                ),
            )
            for item in self._kept()
        ]
