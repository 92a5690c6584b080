"""Writes of filters: make, edit and delete a filter, its keywords and its filtered posts,
and the v1 API's one-keyword filters. Every write checks the limits first and writes in one
transaction (a refused change writes nothing), then emits `FiltersChanged`, on which the
streaming API tells the teacher's open streams `filters_changed`.

Messages follow Mastodon's ("Validation failed: ..."), answered as 422.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staffroom.core.events import FiltersChanged, emit
from staffroom.core.exceptions import NotFound, ValidationFailed
from staffroom.core.text import single_line
from staffroom.filters.models import (
    CONTEXTS,
    FILTERS_MAX,
    KEYWORD_MAX_LENGTH,
    KEYWORDS_MAX,
    STATUSES_MAX,
    TITLE_MAX_LENGTH,
    Filter,
    FilterAction,
    FilterKeyword,
    FilterStatus,
)
from staffroom.filters.selectors import filter_of, filter_status_of, keyword_of
from staffroom.posts.selectors import status_get_for_viewer
from staffroom.profiles.models import Profile

# The longest expiry accepted: about ten years (Mastodon offers at most a week in its UI).
EXPIRES_IN_MAX = 10 * 366 * 24 * 60 * 60
_ACTIONS = tuple(choice.value for choice in FilterAction)


class _Keep:
    """An attribute the caller did not give: left as it is."""


KEEP = _Keep()


@dataclass(frozen=True)
class KeywordChange:
    """One row of `keywords_attributes`: a new keyword (no `id`), a change to one (`id`),
    or taking one out (`id` and `destroy`)."""

    id: object = None
    keyword: str | None = None
    whole_word: bool | None = None
    destroy: bool = False


def expires_at_for(expires_in: int | None) -> datetime | None:
    """`expires_in` seconds from now (None: never). ValidationFailed outside 1 second to
    about ten years."""
    if expires_in is None:
        return None
    if not 0 < expires_in <= EXPIRES_IN_MAX:
        raise ValidationFailed(
            _("Validation failed: Expires in must be between 1 second and ten years")
        )
    return timezone.now() + timedelta(seconds=expires_in)


def _title(title: str | None) -> str:
    clean = single_line(title or "")
    if not clean:
        raise ValidationFailed(_("Validation failed: Title can't be blank"))
    if len(clean) > TITLE_MAX_LENGTH:
        raise ValidationFailed(
            _("Validation failed: Title is too long (maximum is %(max)d characters)")
            % {"max": TITLE_MAX_LENGTH}
        )
    return clean


def _context(context: Sequence[str] | None) -> list[str]:
    values = [value.strip() for value in (context or []) if value and value.strip()]
    if not values:
        raise ValidationFailed(_("Validation failed: Context can't be blank"))
    if any(value not in CONTEXTS for value in values):
        raise ValidationFailed(
            _("Validation failed: Context None or invalid context supplied (use %(valid)s)")
            % {"valid": ", ".join(CONTEXTS)}
        )
    return [value for value in CONTEXTS if value in values]


def _action(action: str | None) -> str:
    value = (action or FilterAction.WARN).strip()
    if value not in _ACTIONS:
        raise ValidationFailed(
            _("Validation failed: Filter action must be one of %(valid)s")
            % {"valid": ", ".join(_ACTIONS)}
        )
    return value


def _keyword(keyword: str | None) -> str:
    clean = single_line(keyword or "")
    if not clean:
        raise ValidationFailed(_("Validation failed: Keywords keyword can't be blank"))
    if len(clean) > KEYWORD_MAX_LENGTH:
        raise ValidationFailed(
            _("Validation failed: Keywords keyword is too long (maximum is %(max)d characters)")
            % {"max": KEYWORD_MAX_LENGTH}
        )
    return clean


def _keywords_fit(count: int) -> None:
    if count > KEYWORDS_MAX:
        raise ValidationFailed(
            _("Validation failed: a filter has at most %(max)d keywords") % {"max": KEYWORDS_MAX}
        )


def _changed(actor: Profile, filter_: Filter) -> Filter:
    """`filter_` read again with its keywords and posts, after emitting FiltersChanged."""
    emit(FiltersChanged(account_id=actor.pk))
    return filter_of(actor, filter_.pk)


def filter_create(
    *,
    actor: Profile,
    title: str | None,
    context: Sequence[str] | None,
    action: str | None = None,
    expires_in: int | None = None,
    keywords: Sequence[KeywordChange] = (),
) -> Filter:
    """A new filter of `actor` with its first keywords. ValidationFailed (nothing written)
    for a blank title, no or an unknown context, an unknown action, a bad expiry, a blank or
    too long keyword, more than KEYWORDS_MAX keywords, or past FILTERS_MAX filters."""
    clean_title = _title(title)
    clean_context = _context(context)
    clean_action = _action(action)
    expires_at = expires_at_for(expires_in)
    new = [change for change in keywords if not change.destroy]
    _keywords_fit(len(new))
    words = [(_keyword(change.keyword), change.whole_word) for change in new]
    with transaction.atomic():
        # The account's row is locked so two requests cannot both pass the limit.
        Profile.objects.select_for_update().filter(pk=actor.pk).first()
        if Filter.objects.filter(account=actor).count() >= FILTERS_MAX:
            raise ValidationFailed(
                _("Validation failed: you can have at most %(max)d filters") % {"max": FILTERS_MAX}
            )
        created = Filter.objects.create(
            account=actor,
            title=clean_title,
            context=clean_context,
            action=clean_action,
            expires_at=expires_at,
        )
        FilterKeyword.objects.bulk_create(
            FilterKeyword(filter=created, keyword=word, whole_word=whole is not False)
            for word, whole in words
        )
        return _changed(actor, created)


def filter_update(
    *,
    actor: Profile,
    filter_id: object,
    title: str | _Keep | None = KEEP,
    context: Sequence[str] | _Keep | None = KEEP,
    action: str | _Keep | None = KEEP,
    expires_in: int | _Keep | None = KEEP,
    keywords: Sequence[KeywordChange] = (),
) -> Filter:
    """Change one of `actor`'s filters: what is given changes, the rest stays; each
    keyword change adds, edits or (with `destroy`) takes out a keyword. NotFound for a
    filter or keyword id that is not theirs; ValidationFailed as for `filter_create`.
    All or nothing."""
    with transaction.atomic():
        found = filter_of(actor, filter_id)
        fields = ["updated_at"]
        if not isinstance(title, _Keep):
            found.title = _title(title)
            fields.append("title")
        if not isinstance(context, _Keep):
            found.context = _context(context)
            fields.append("context")
        if not isinstance(action, _Keep):
            found.action = _action(action)
            fields.append("action")
        if not isinstance(expires_in, _Keep):
            found.expires_at = expires_at_for(expires_in)
            fields.append("expires_at")
        _apply_keywords(found, keywords)
        found.save(update_fields=fields)
        return _changed(actor, found)


def _apply_keywords(found: Filter, changes: Sequence[KeywordChange]) -> None:
    existing = {keyword.pk: keyword for keyword in found.keywords.all()}
    _keywords_fit(len(existing) + sum(1 for change in changes if change.id is None))
    destroyed: set[int] = set()
    created: list[FilterKeyword] = []
    for change in changes:
        if change.id is None or change.id == "":
            if change.destroy:
                continue
            created.append(
                FilterKeyword(
                    filter=found,
                    keyword=_keyword(change.keyword),
                    whole_word=change.whole_word is not False,
                )
            )
            continue
        keyword = existing.get(_int_or_none(change.id) or 0)
        if keyword is None:
            raise NotFound("Record not found")
        if change.destroy:
            destroyed.add(keyword.pk)
            continue
        if change.keyword is not None:
            keyword.keyword = _keyword(change.keyword)
        if change.whole_word is not None:
            keyword.whole_word = change.whole_word
        keyword.save(update_fields=["keyword", "whole_word"])
    _keywords_fit(len(existing) - len(destroyed) + len(created))
    FilterKeyword.objects.filter(pk__in=destroyed).delete()
    FilterKeyword.objects.bulk_create(created)


def _int_or_none(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def filter_delete(*, actor: Profile, filter_id: object) -> None:
    """Delete one of `actor`'s filters with its keywords and posts; NotFound otherwise."""
    with transaction.atomic():
        found = filter_of(actor, filter_id)
        found.delete()
        emit(FiltersChanged(account_id=actor.pk))


def keyword_add(
    *, actor: Profile, filter_id: object, keyword: str | None, whole_word: bool | None
) -> FilterKeyword:
    """A keyword added to one of `actor`'s filters."""
    with transaction.atomic():
        found = filter_of(actor, filter_id)
        _keywords_fit(len(found.keywords.all()) + 1)
        row = FilterKeyword.objects.create(
            filter=found, keyword=_keyword(keyword), whole_word=whole_word is not False
        )
        emit(FiltersChanged(account_id=actor.pk))
    return row


def keyword_update(
    *, actor: Profile, keyword_id: object, keyword: str | None, whole_word: bool | None
) -> FilterKeyword:
    """Change one keyword of `actor`'s filters (what is given)."""
    with transaction.atomic():
        row = keyword_of(actor, keyword_id)
        if keyword is not None:
            row.keyword = _keyword(keyword)
        if whole_word is not None:
            row.whole_word = whole_word
        row.save(update_fields=["keyword", "whole_word"])
        emit(FiltersChanged(account_id=actor.pk))
    return row


def keyword_delete(*, actor: Profile, keyword_id: object) -> None:
    with transaction.atomic():
        keyword_of(actor, keyword_id).delete()
        emit(FiltersChanged(account_id=actor.pk))


def filter_status_add(*, actor: Profile, filter_id: object, status_id: object) -> FilterStatus:
    """One post added to one of `actor`'s filters: a post they may see (any other is a
    404). Adding it again answers the same row (Mastodon says 422; the row is what a
    client wants)."""
    with transaction.atomic():
        found = filter_of(actor, filter_id)
        status = status_get_for_viewer(status_id, actor)
        row = FilterStatus.objects.filter(filter=found, status=status).first()
        if row is not None:
            return row
        if len(found.statuses.all()) >= STATUSES_MAX:
            raise ValidationFailed(
                _("Validation failed: a filter has at most %(max)d posts") % {"max": STATUSES_MAX}
            )
        row = FilterStatus.objects.create(filter=found, status=status)
        emit(FiltersChanged(account_id=actor.pk))
    return row


def filter_status_delete(*, actor: Profile, filter_status_id: object) -> None:
    with transaction.atomic():
        filter_status_of(actor, filter_status_id).delete()
        emit(FiltersChanged(account_id=actor.pk))


# --- The v1 API: a filter is one keyword -------------------------------------------------


def v1_filter_create(
    *,
    actor: Profile,
    phrase: str | None,
    context: Sequence[str] | None,
    irreversible: bool = False,
    whole_word: bool = True,
    expires_in: int | None = None,
) -> FilterKeyword:
    """Mastodon's v1 filter: a filter titled by its phrase, with that one keyword;
    `irreversible` hides (instead of warning)."""
    clean = _keyword(phrase)
    made = filter_create(
        actor=actor,
        title=clean[:TITLE_MAX_LENGTH],
        context=context,
        action=FilterAction.HIDE if irreversible else FilterAction.WARN,
        expires_in=expires_in,
        keywords=[KeywordChange(keyword=clean, whole_word=whole_word)],
    )
    return made.keywords.all()[0]


def v1_filter_update(
    *,
    actor: Profile,
    keyword_id: object,
    phrase: str | None = None,
    context: Sequence[str] | _Keep | None = KEEP,
    irreversible: bool | None = None,
    whole_word: bool | None = None,
    expires_in: int | _Keep | None = KEEP,
) -> FilterKeyword:
    """Change a v1 filter: its keyword, and its filter's context, action and expiry."""
    with transaction.atomic():
        row = keyword_of(actor, keyword_id)
        filter_update(
            actor=actor,
            filter_id=row.filter_id,
            context=context,
            action=KEEP
            if irreversible is None
            else (FilterAction.HIDE if irreversible else FilterAction.WARN),
            expires_in=expires_in,
            keywords=[KeywordChange(id=row.pk, keyword=phrase, whole_word=whole_word)],
        )
        return keyword_of(actor, row.pk)


def v1_filter_delete(*, actor: Profile, keyword_id: object) -> None:
    """Delete a v1 filter: its keyword, and its filter when nothing else is left in it."""
    with transaction.atomic():
        row = keyword_of(actor, keyword_id)
        parent = row.filter
        row.delete()
        if not parent.keywords.exists() and not parent.statuses.exists():
            parent.delete()
        emit(FiltersChanged(account_id=actor.pk))


def filters_of_profile_delete(profile: Profile) -> None:
    """A leaving teacher's filters, keywords and filtered posts."""
    with transaction.atomic():
        Filter.objects.filter(account=profile).delete()
