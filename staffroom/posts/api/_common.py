"""What the posts API routes share: pages of statuses and the mapping of Mastodon's
visibility words to ours. (The viewer of a route anyone may read is
`profiles.viewer.optional_viewer`.)"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from staffroom.core.api.numbers import ClampedInt64
from staffroom.core.api.pagination import PageQuery
from staffroom.core.exceptions import ValidationFailed
from staffroom.polls.services import PollDraft
from staffroom.posts.api.schemas import DraftIn, PlnStatusIn
from staffroom.posts.models import Visibility
from staffroom.posts.services import PostText

STATUSES_LIMIT_DEFAULT = 20
STATUSES_LIMIT_MAX = 40

# Mastodon's words (and ours, which clients that know `pln` may send) -> our visibility.
_VISIBILITY_WORDS = {
    "public": Visibility.PUBLIC,
    "unlisted": Visibility.UNLISTED,
    "private": Visibility.FOLLOWERS,
    "followers": Visibility.FOLLOWERS,
    "connections": Visibility.CONNECTIONS,
    "direct": Visibility.DIRECT,
}
# What `pln[visibility]` may refine `private` into.
_PRIVATE_REFINEMENTS = {"followers": Visibility.FOLLOWERS, "connections": Visibility.CONNECTIONS}


class StatusPageQuery(PageQuery):
    """Pages of statuses: `limit` defaults to 20 and is clamped to 40, as Mastodon's."""

    limit: ClampedInt64 = STATUSES_LIMIT_DEFAULT

    @property
    def size(self) -> int:
        return min(abs(self.limit) or STATUSES_LIMIT_DEFAULT, STATUSES_LIMIT_MAX)


def visibility_from(value: str | None, pln: PlnStatusIn | None) -> Visibility:
    """Mastodon's `visibility` (public, unlisted, private, direct; also our `followers`
    and `connections`), refined by `pln[visibility]`: `private` with
    `pln[visibility]=connections` is connections-only. No visibility means public."""
    refinement = pln.visibility if pln is not None and pln.visibility else None
    word = (value or "").strip().lower() or ("private" if refinement else "public")
    if word not in _VISIBILITY_WORDS:
        raise ValidationFailed(
            _("Validation failed: Visibility must be one of %(choices)s")
            % {"choices": ", ".join(_VISIBILITY_WORDS)}
        )
    chosen = _VISIBILITY_WORDS[word]
    if refinement is None:
        return chosen
    refined = _PRIVATE_REFINEMENTS.get(refinement)
    if refined is None:
        raise ValidationFailed(
            _("Validation failed: pln.visibility must be followers or connections")
        )
    if chosen not in _PRIVATE_REFINEMENTS.values():
        raise ValidationFailed(
            _("Validation failed: pln.visibility refines only the private visibility")
        )
    return refined


# Rails' boolean cast, as Mastodon reads `poll[multiple]=true` from a form.
_FALSE_WORDS = frozenset({"0", "f", "false", "off", "no", "n", ""})
POLL_OPTION_FIELD_MAX = 10_000


def _flag(value: Any, name: str) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, int | str):
        return str(value).strip().lower() not in _FALSE_WORDS
    raise ValidationFailed(
        _("Validation failed: poll %(name)s is not true or false") % {"name": name}
    )


def _seconds(value: Any) -> int:
    if isinstance(value, bool) or value is None:
        raise ValidationFailed(_("Validation failed: poll expires_in must be a number of seconds"))
    try:
        return int(str(value).strip())
    except ValueError as error:
        raise ValidationFailed(
            _("Validation failed: poll expires_in must be a number of seconds")
        ) from error


def poll_draft_from(value: Any) -> PollDraft | None:
    """The poll of a create or edit body (`poll[options][]=..&poll[expires_in]=..` or JSON
    `{"poll": {...}}`), or None when there is none. The limits are the service's to check;
    a shape that is no poll at all is a ValidationFailed here."""
    if value in (None, "", {}, []):
        return None
    if not isinstance(value, dict):
        raise ValidationFailed(_("Validation failed: poll must have options and expires_in"))
    options = value.get("options")
    if isinstance(options, str):
        options = [options]
    if not isinstance(options, list) or not all(isinstance(item, str) for item in options):
        raise ValidationFailed(_("Validation failed: poll options must be a list of texts"))
    if any(len(item) > POLL_OPTION_FIELD_MAX for item in options):
        raise ValidationFailed(_("Validation failed: Poll options are too long"))
    return PollDraft(
        options=tuple(options),
        expires_in=_seconds(value.get("expires_in")),
        multiple=_flag(value.get("multiple"), "multiple"),
        hide_totals=_flag(value.get("hide_totals"), "hide_totals"),
    )


def draft_of(payload: DraftIn, *, language: str = "", sensitive: bool = False) -> PostText:
    """The post text of a create or edit body; an absent language keeps `language`, an
    absent sensitivity is `sensitive`."""
    return PostText(
        text=payload.status or "",
        spoiler_text=payload.spoiler_text or "",
        sensitive=payload.sensitive if payload.sensitive is not None else sensitive,
        language=payload.language if payload.language is not None else language,
    )
