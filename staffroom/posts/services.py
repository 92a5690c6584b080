"""Writing posts: create, edit, delete, and favourite, reshare, bookmark and pin.

Every function runs in one transaction and takes the acting profile. The interfaces first
resolve the target post through `posts.selectors.status_get_for_viewer`, so a post the
actor may not see is already a NotFound there; the checks that matter for privacy (a reply
to an invisible post, a reshare of a followers-only one) are made here again for any caller.
Counters move with `F()` in the same transaction as the row they count.
"""

from __future__ import annotations

import enum
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from staffroom.core import limits
from staffroom.core.events import (
    FavouriteCreated,
    FavouriteDeleted,
    StatusCreated,
    StatusDeleted,
    StatusEdited,
    emit,
)
from staffroom.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from staffroom.core.hashtags import normalize_tag
from staffroom.core.html import LinkTargets, counted_length, render_markdown, text_entities
from staffroom.core.ids import new_snowflake
from staffroom.core.pln import Modality
from staffroom.core.ratelimit import enforce
from staffroom.core.text import without_bidi_controls
from staffroom.graph.selectors import blocked_either_way_q
from staffroom.media.models import MediaAttachment
from staffroom.media.selectors import attachments_of_status
from staffroom.media.services import (
    MediaDescription,
    attachments_attach,
    attachments_check_descriptions,
    attachments_describe,
    attachments_for_post,
    attachments_replace,
    modality_of,
)
from staffroom.polls.services import PollDraft, poll_create, poll_draft_clean, poll_replace
from staffroom.posts.audience import audience_for
from staffroom.posts.counters import counts_on_parent
from staffroom.posts.models import (
    TAG_NAME_MAX_LENGTH,
    Bookmark,
    ConversationMute,
    Favourite,
    IdempotencyKey,
    Mention,
    Status,
    StatusEdit,
    Tag,
    Visibility,
)
from staffroom.posts.selectors import NOT_FOUND, can_see, is_tag_name
from staffroom.profiles.models import Profile
from staffroom.profiles.uris import instance_base_url

MENTIONS_MAX = 50
TAGS_MAX = 30
SPOILER_MAX = 1000
IDEMPOTENCY_KEY_MAX = 255
IDEMPOTENCY_WINDOW = timedelta(hours=1)
# The most source text a post may carry, links and all (the counted limit is far lower).
SOURCE_MAX = 16 * 1024
# C0 controls other than tab, newline and carriage return (PostgreSQL refuses NUL in text,
# and none of them means anything in a post), and DEL.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$")
# A post without attachments is text, or a link when it carries one; with attachments it
# takes theirs (media.services.modality_of). DESIGN.md, modalities.
AUTHORED_MODALITIES = (Modality.TEXT, Modality.LINK)
RESHAREABLE_AS = (Visibility.PUBLIC, Visibility.UNLISTED, Visibility.FOLLOWERS)


class PollChange(enum.Enum):
    """`status_edit(poll=KEEP)`: the edit leaves the post's poll as it is (the web form)."""

    KEEP = "keep"


def _poll_checked(poll: PollDraft | None, *, has_media: bool) -> PollDraft | None:
    """A post asks a poll or shows media, never both (as Mastodon)."""
    if poll is None:
        return None
    if has_media:
        raise ValidationFailed(_("Validation failed: a post cannot have both media and a poll"))
    return poll_draft_clean(poll)


@dataclass(frozen=True)
class PostText:
    """What the author typed, checked: the body, content warning, sensitivity, language."""

    text: str
    spoiler_text: str = ""
    sensitive: bool = False
    language: str = ""


def tag_url(name: str) -> str:
    return instance_base_url() + reverse("posts:tag", args=[name])


def _without_controls(value: str) -> str:
    return CONTROL_CHARACTERS.sub("", value)


def _clean(draft: PostText, *, has_media: bool = False) -> PostText:
    if len(draft.text) > SOURCE_MAX or len(draft.spoiler_text) > SOURCE_MAX:
        # Checked before any parsing: a URL counts as 23 characters however long it is, so
        # the counted limit alone would let megabytes through to the renderer.
        raise ValidationFailed(_("Validation failed: Text is too long"))
    text = _without_controls(draft.text).strip()
    spoiler = without_bidi_controls(_without_controls(draft.spoiler_text)).strip()
    if not text and not has_media:
        raise ValidationFailed(_("Validation failed: Text can't be blank"))
    maximum = limits.post_characters_max()
    length = counted_length(text, per_url=limits.CHARACTERS_RESERVED_PER_URL) + len(spoiler)
    if length > maximum:
        raise ValidationFailed(
            _("Validation failed: Text character limit of %(max)d exceeded (%(length)d)")
            % {"max": maximum, "length": length}
        )
    if len(spoiler) > SPOILER_MAX:
        raise ValidationFailed(_("Validation failed: Content warning is too long"))
    language = (draft.language or "").strip()
    if language and not LANGUAGE_RE.match(language):
        raise ValidationFailed(
            _("Validation failed: Language is not a language code such as en or pt-BR")
        )
    return PostText(text=text, spoiler_text=spoiler, sensitive=draft.sensitive, language=language)


def _visibility(value: str) -> Visibility:
    try:
        return Visibility(value)
    except ValueError as error:
        raise ValidationFailed(
            _("Validation failed: Visibility must be one of %(choices)s")
            % {"choices": ", ".join(Visibility.values)}
        ) from error


def _modality(value: str | None, text: str, media: Sequence[MediaAttachment] = ()) -> str:
    from_media = modality_of(media)
    if from_media is not None:
        if value not in (None, "", from_media):
            raise ValidationFailed(
                _("Validation failed: a post with this media is %(kind)s, not %(value)s")
                % {"kind": from_media, "value": value}
            )
        return from_media
    if value is None or value == "":
        return Modality.LINK if counted_length(text, per_url=0) < len(text) else Modality.TEXT
    if value not in AUTHORED_MODALITIES:
        raise ValidationFailed(
            _("Validation failed: a post without media is text or link, not %(value)s")
            % {"value": value}
        )
    return value


def _mentioned_profiles(author: Profile, handles: list[tuple[str, str | None]]) -> list[Profile]:
    """The local accounts a text mentions that can take part: in good standing, and on
    neither side of a block with the author (a blocked person cannot mention the blocker).
    Mentions of other servers' accounts wait for federation."""
    if len(handles) > MENTIONS_MAX:
        raise ValidationFailed(
            _("Validation failed: a post may mention at most %(max)d accounts")
            % {"max": MENTIONS_MAX}
        )
    local = {
        handle
        for handle, domain in handles
        if domain is None or domain == settings.STAFFROOM_DOMAIN.lower()
    }
    if not local:
        return []
    return list(
        Profile.objects.in_good_standing()
        .annotate(handle_lower=Lower("handle"))
        .filter(domain="", handle_lower__in=local)
        .exclude(blocked_either_way_q(author))
    )


def tag_name_clean(name: str) -> str:
    """`name` (a leading `#` allowed) if it can be a hashtag by the rules posts use: letters,
    digits and underscores, at most TAG_NAME_MAX_LENGTH of them, something left once
    normalised. ValidationFailed otherwise (an empty name, `C++`, a NUL byte)."""
    bare = name.strip().removeprefix("#")
    if len(bare) > TAG_NAME_MAX_LENGTH:
        raise ValidationFailed(
            _("Validation failed: a hashtag has at most %(max)d characters")
            % {"max": TAG_NAME_MAX_LENGTH}
        )
    if not is_tag_name(bare) or not normalize_tag(bare):
        raise ValidationFailed(
            _("Validation failed: a hashtag is letters, digits and underscores, like #edchat")
        )
    return bare


def tag_for_name(name: str) -> Tag:
    """The Tag for hashtag `name`, matched by its normal form (`#EdChat` finds `edchat`),
    created under the spelling given if no post or follow used it yet. Validated as
    `tag_name_clean` does. Safe against a concurrent creation of the same tag."""
    return _tag_get_or_create(tag_name_clean(name))


def _tag_get_or_create(name: str) -> Tag:
    key = normalize_tag(name)
    found = Tag.objects.filter(normalized=key).first()
    if found is None:
        try:
            with transaction.atomic():
                found = Tag.objects.create(name=name, normalized=key)
        except IntegrityError:  # created meanwhile by another post or follow
            found = Tag.objects.get(normalized=key)
    return found


def _tags(names: list[str]) -> list[Tag]:
    if len(names) > TAGS_MAX:
        raise ValidationFailed(
            _("Validation failed: a post may carry at most %(max)d hashtags") % {"max": TAGS_MAX}
        )
    # Names a post's text yielded are hashtags already (core/html.py found them).
    return [_tag_get_or_create(name) for name in names]


def _render(text: str, mentioned: list[Profile]) -> str:
    targets = LinkTargets(
        mentions={
            profile.handle.lower(): f"{instance_base_url()}/@{profile.handle}"
            for profile in mentioned
        },
        tag_url=tag_url,
    )
    return render_markdown(text, links=targets)


def _prepared(
    author: Profile, draft: PostText, *, has_media: bool = False
) -> tuple[PostText, list[Profile], list[str], str]:
    draft = _clean(draft, has_media=has_media)
    entities = text_entities(draft.text)
    mentioned = _mentioned_profiles(author, entities.mentions)
    if len(entities.tags) > TAGS_MAX:
        _tags(entities.tags)  # raises before anything is written
    return draft, mentioned, entities.tags, _render(draft.text, mentioned)


def _idempotent_answer(author: Profile, key: str | None) -> Status | None:
    if not key:
        return None
    if len(key) > IDEMPOTENCY_KEY_MAX:
        raise ValidationFailed(_("Validation failed: Idempotency-Key is too long"))
    row = (
        IdempotencyKey.objects.filter(
            account=author, key=key, created_at__gte=timezone.now() - IDEMPOTENCY_WINDOW
        )
        .select_related("status")
        .first()
    )
    return row.status if row is not None else None


@dataclass(frozen=True)
class CheckedPost:
    """A post that passed every rule `status_create` applies before writing: the cleaned
    text, its rendering, mentions and hashtags, the visibility, modality, the reply target
    (the original post when a reshare was named) and the attachments in order."""

    draft: PostText
    content: str
    visibility: Visibility
    modality: str
    in_reply_to: Status | None
    mentioned: list[Profile]
    tag_names: list[str]
    media: list[MediaAttachment]
    poll: PollDraft | None = None


def status_check(
    *,
    author: Profile,
    draft: PostText,
    visibility: str = Visibility.PUBLIC,
    in_reply_to: Status | None = None,
    modality: str | None = None,
    media_ids: Sequence[str | int] = (),
    poll: PollDraft | None = None,
) -> CheckedPost:
    """Check a post as `status_create` would publish it, writing nothing (hashtags that do
    not exist yet are only named). Scheduled posts are checked with it when they are
    scheduled, so they cannot fail later for bad input. Raises what `status_create`
    raises, except RateLimited."""
    chosen = _visibility(visibility)
    poll = _poll_checked(poll, has_media=bool(media_ids))
    media = attachments_for_post(owner=author, ids=media_ids) if media_ids else []
    draft, mentioned, tag_names, content = _prepared(author, draft, has_media=bool(media))
    kind = _modality(modality, draft.text, media)
    if in_reply_to is not None:
        in_reply_to = in_reply_to.reblog_of or in_reply_to
        if not can_see(author, in_reply_to):
            raise NotFound(NOT_FOUND)
    return CheckedPost(draft, content, chosen, kind, in_reply_to, mentioned, tag_names, media, poll)


def status_create(
    *,
    author: Profile,
    draft: PostText,
    visibility: str = Visibility.PUBLIC,
    in_reply_to: Status | None = None,
    modality: str | None = None,
    idempotency_key: str | None = None,
    media_ids: Sequence[str | int] = (),
    rate_limited: bool = True,
    poll: PollDraft | None = None,
) -> Status:
    """Publish a post (or a reply), with up to four of the author's own processed
    attachments (`media_ids`, in order; the text may then be empty) or a poll (written in
    the post's transaction; never both). Answers the earlier post for a repeated
    `idempotency_key` within the hour, without posting twice.

    Emits StatusCreated in the post's transaction: the author's counter, fan-out to the
    stored feeds and the notifications follow from it (docs/overview/architecture.md).
    Raises ValidationFailed for an empty or too long text, an unknown visibility, modality
    or language, more than 50 mentions or 30 hashtags, media that is not the author's,
    not ready, used by another post or (where the server requires it) not described,
    media with a poll or a poll outside the limits (`polls.services.poll_draft_clean`);
    NotFound for a reply to a post the author may not see; RateLimited past the posting
    limit (not checked with `rate_limited=False`: a scheduled post, counted when it was
    scheduled).
    """
    earlier = _idempotent_answer(author, idempotency_key)
    if earlier is not None:
        return earlier
    checked = status_check(
        author=author,
        draft=draft,
        visibility=visibility,
        in_reply_to=in_reply_to,
        modality=modality,
        media_ids=media_ids,
        poll=poll,
    )
    if rate_limited:
        enforce("posting", f"profile:{author.pk}")
    try:
        with transaction.atomic():
            status = _status_insert(author, checked)
            if checked.media:
                attachments_attach(status_id=status.pk, rows=checked.media)
            if checked.poll is not None:
                poll_create(status=status, draft=checked.poll)
            if idempotency_key:
                IdempotencyKey.objects.create(account=author, key=idempotency_key, status=status)
    except IntegrityError:
        # The same key raced us and committed first: this post was rolled back whole;
        # answer the winner's.
        winner = _idempotent_answer(author, idempotency_key)
        if winner is None:
            raise
        return winner
    return status


def _status_insert(author: Profile, checked: CheckedPost) -> Status:
    draft, in_reply_to = checked.draft, checked.in_reply_to
    status_id = new_snowflake()
    status = Status.objects.create(
        id=status_id,
        account=author,
        uri=f"{author.uri}/statuses/{status_id}",
        text=draft.text,
        content=checked.content,
        spoiler_text=draft.spoiler_text,
        sensitive=draft.sensitive or bool(draft.spoiler_text),
        language=draft.language,
        visibility=checked.visibility,
        modality=checked.modality,
        in_reply_to=in_reply_to,
        in_reply_to_account=in_reply_to.account if in_reply_to else None,
        thread_id=in_reply_to.thread_id if in_reply_to else status_id,
    )
    Mention.objects.bulk_create([Mention(status=status, profile=p) for p in checked.mentioned])
    status.tags.set(_tags(checked.tag_names))
    if in_reply_to is not None and counts_on_parent(visibility=checked.visibility):
        Status.objects.filter(pk=in_reply_to.pk).update(replies_count=F("replies_count") + 1)
    emit(_created_event(status))
    return status


def _created_event(status: Status) -> StatusCreated:
    return StatusCreated(
        status_id=status.pk,
        account_id=status.account_id,
        visibility=status.visibility,
        created_at=status.created_at,
        reblog_of_id=status.reblog_of_id,
        in_reply_to_id=status.in_reply_to_id,
    )


def statuses_delete(ids: list[int]) -> int:
    """Delete the status rows `ids` for good, with the reshares of them (a reshare cannot
    outlive its post), emitting StatusDeleted for every row that goes, so each author's
    counters and everything else derived from them follow. Counters on the posts they
    reply to or reshare are the caller's to move. Returns how many rows went.

    The rows are locked first (in id order, so two deletions never deadlock): a job still
    writing a row that points at one of them (a notification, a timeline entry) is waited
    for and then deleted with it, instead of the foreign key failing this transaction at
    commit; a job starting later finds the post gone."""
    with transaction.atomic(savepoint=False):
        return _statuses_delete_locked(ids)


def _statuses_delete_locked(ids: list[int]) -> int:
    rows = list(
        Status.objects.select_for_update()
        .filter(Q(pk__in=ids) | Q(reblog_of_id__in=ids))
        .order_by("pk")
        .values_list("pk", "account_id", "visibility", "reblog_of_id", "removed_at")
    )
    if not rows:
        return 0
    row_ids = [row[0] for row in rows]
    mentioned: dict[int, list[int]] = defaultdict(list)
    for status_id, profile_id in Mention.objects.filter(status_id__in=row_ids).values_list(
        "status_id", "profile_id"
    ):
        mentioned[status_id].append(profile_id)
    tagged: dict[int, list[str]] = defaultdict(list)
    for status_id, key in Status.tags.through.objects.filter(status_id__in=row_ids).values_list(
        "status_id", "tag__normalized"
    ):
        tagged[status_id].append(key)
    Status.objects.filter(pk__in=row_ids).delete()
    for pk, account_id, visibility, reblog_of_id, removed_at in rows:
        emit(
            StatusDeleted(
                status_id=pk,
                account_id=account_id,
                visibility=visibility,
                reblog_of_id=reblog_of_id,
                was_removed=removed_at is not None,
                mentioned_ids=tuple(mentioned[pk]),
                tag_keys=tuple(tagged[pk]),
            )
        )
    return len(rows)


def _own_post(editor: Profile, status: Status) -> None:
    if not can_see(editor, status):
        raise NotFound(NOT_FOUND)
    if status.account_id != editor.pk:
        raise PermissionDenied(_("You can only change your own posts."))


def status_edit(
    *,
    editor: Profile,
    status: Status,
    draft: PostText,
    media_ids: Sequence[str | int] | None = None,
    media_changes: Sequence[MediaDescription] = (),
    poll: PollDraft | PollChange | None = PollChange.KEEP,
) -> Status:
    """Replace a post's text, content warning, sensitivity and language; the versions are
    kept (`StatusEdit`, oldest first). Visibility and the reply never change. People
    mentioned before keep their access: they have already been addressed.

    `poll` (Mastodon's edit): a draft replaces the poll (changed answers or choice mode
    reset its votes, `polls.services.poll_replace`), None removes it, KEEP leaves it.

    `media_ids` (when given) becomes the post's attachments in that order: ones it no
    longer names are deleted with their files, new ones follow `status_create`'s rules.
    None keeps the attachments as they are. `media_changes` give them new alt text or
    focus points (Mastodon's `media_attributes[]`)."""
    _own_post(editor, status)
    if status.is_reblog:
        raise ValidationFailed(_("Validation failed: a reshare cannot be edited"))
    if media_ids is None:
        media = attachments_of_status(status.pk)
    else:
        media = attachments_for_post(
            owner=editor, ids=media_ids, status_id=status.pk, check_descriptions=False
        )
    if not isinstance(poll, PollChange):
        poll = _poll_checked(poll, has_media=bool(media))
    draft, mentioned, tag_names, content = _prepared(editor, draft, has_media=bool(media))
    now = timezone.now()
    with transaction.atomic():
        locked = Status.objects.select_for_update().get(pk=status.pk)
        if not isinstance(poll, PollChange):
            poll_replace(status=locked, draft=poll)
        if not locked.edits.exists():
            StatusEdit.objects.create(
                status=locked,
                text=locked.text,
                content=locked.content,
                spoiler_text=locked.spoiler_text,
                sensitive=locked.sensitive,
                created_at=locked.created_at,
            )
        locked.text, locked.content = draft.text, content
        locked.spoiler_text = draft.spoiler_text
        locked.sensitive = draft.sensitive or bool(draft.spoiler_text)
        locked.language = draft.language
        locked.modality = _modality(None, draft.text, media)
        if media_ids is not None:
            attachments_replace(status_id=locked.pk, rows=media)
        attachments_describe(owner=editor, rows=media, changes=media_changes)
        attachments_check_descriptions(media)
        locked.edited_at = now
        locked.save(
            update_fields=[
                "text",
                "content",
                "spoiler_text",
                "sensitive",
                "language",
                "modality",
                "edited_at",
            ]
        )
        StatusEdit.objects.create(
            status=locked,
            text=locked.text,
            content=locked.content,
            spoiler_text=locked.spoiler_text,
            sensitive=locked.sensitive,
            created_at=now,
        )
        Mention.objects.bulk_create(
            [Mention(status=locked, profile=profile) for profile in mentioned],
            ignore_conflicts=True,
        )
        locked.tags.set(_tags(tag_names))
        emit(StatusEdited(status_id=locked.pk, account_id=locked.account_id))
    return Status.objects.select_related("account__user").get(pk=status.pk)


def status_delete(*, actor: Profile, status: Status) -> None:
    """Delete the actor's own post: its reshares, favourites, bookmarks and edits go with
    it; replies stay (their `in_reply_to_id` is cleared) in the same conversation. Emits
    StatusDeleted for the post and for each reshare of it. The counters of the post it
    answers or reshares go down only if it was counted there (`posts.counters`)."""
    _own_post(actor, status)
    with transaction.atomic():
        counted = counts_on_parent(
            visibility=status.visibility, removed=status.removed_at is not None
        )
        if status.in_reply_to_id is not None and counted:
            Status.objects.filter(pk=status.in_reply_to_id).update(
                replies_count=Greatest(F("replies_count") - 1, 0)
            )
        if status.reblog_of_id is not None and counted:
            Status.objects.filter(pk=status.reblog_of_id).update(
                reblogs_count=Greatest(F("reblogs_count") - 1, 0)
            )
        statuses_delete([status.pk])


def _original(status: Status) -> Status:
    """Acting on a reshare acts on the post it reshares, as on Mastodon."""
    return status.reblog_of if status.reblog_of is not None else status


def _require_visible(actor: Profile, status: Status) -> Status:
    original = _original(status)
    if not can_see(actor, original):
        raise NotFound(NOT_FOUND)
    return original


def favourite_create(*, actor: Profile, status: Status) -> Status:
    """Favourite a post the actor may see (once); emits FavouriteCreated for a new one.
    Answers the original post with its count."""
    original = _require_visible(actor, status)
    with transaction.atomic():
        row, created = Favourite.objects.get_or_create(account=actor, status=original)
        if created:
            Status.objects.filter(pk=original.pk).update(favourites_count=F("favourites_count") + 1)
            emit(FavouriteCreated(favourite_id=row.pk, account_id=actor.pk, status_id=original.pk))
    original.refresh_from_db(fields=["favourites_count"])
    return original


def favourite_delete(*, actor: Profile, status: Status) -> Status:
    """Undo a favourite; emits FavouriteDeleted when there was one."""
    original = _require_visible(actor, status)
    with transaction.atomic():
        deleted, _detail = Favourite.objects.filter(account=actor, status=original).delete()
        if deleted:
            Status.objects.filter(pk=original.pk).update(
                favourites_count=Greatest(F("favourites_count") - 1, 0)
            )
            emit(FavouriteDeleted(account_id=actor.pk, status_id=original.pk))
    original.refresh_from_db(fields=["favourites_count"])
    return original


def reblog_create(*, actor: Profile, status: Status, visibility: str = Visibility.PUBLIC) -> Status:
    """Reshare a public or unlisted post (once; a second call answers the same reshare).
    Followers-only, connections-only and direct posts are never reshared, not even by
    their author: that would widen their audience. A new reshare emits StatusCreated."""
    original = _require_visible(actor, status)
    if not audience_for(original.visibility).is_open:
        raise ValidationFailed(_("Validation failed: this post is not public and cannot be shared"))
    chosen = _visibility(visibility)
    if chosen not in RESHAREABLE_AS:
        raise ValidationFailed(
            _("Validation failed: a reshare is public, unlisted or for followers")
        )
    existing = Status.objects.filter(account=actor, reblog_of=original).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        reblog_id = new_snowflake()
        try:
            with transaction.atomic():
                reblog = Status.objects.create(
                    id=reblog_id,
                    account=actor,
                    uri=f"{actor.uri}/statuses/{reblog_id}/activity",
                    visibility=chosen,
                    modality=original.modality,
                    reblog_of=original,
                    thread_id=reblog_id,
                )
        except IntegrityError:  # a concurrent reshare won
            return Status.objects.get(account=actor, reblog_of=original)
        if counts_on_parent(visibility=chosen):
            Status.objects.filter(pk=original.pk).update(reblogs_count=F("reblogs_count") + 1)
        emit(_created_event(reblog))
    return Status.objects.select_related("account__user", "reblog_of__account__user").get(
        pk=reblog.pk
    )


def reblog_delete(*, actor: Profile, status: Status) -> Status:
    """Undo the actor's reshare (StatusDeleted); answers the original post."""
    original = _require_visible(actor, status)
    with transaction.atomic():
        mine = list(
            Status.objects.filter(account=actor, reblog_of=original).values_list(
                "pk", "visibility", "removed_at"
            )
        )
        deleted = statuses_delete([pk for pk, _visibility, _removed in mine])
        if deleted and any(
            counts_on_parent(visibility=visibility, removed=removed is not None)
            for _pk, visibility, removed in mine
        ):
            Status.objects.filter(pk=original.pk).update(
                reblogs_count=Greatest(F("reblogs_count") - 1, 0)
            )
    original.refresh_from_db(fields=["reblogs_count"])
    return original


def bookmark_create(*, actor: Profile, status: Status) -> Status:
    original = _require_visible(actor, status)
    Bookmark.objects.get_or_create(account=actor, status=original)
    return original


def bookmark_delete(*, actor: Profile, status: Status) -> Status:
    original = _require_visible(actor, status)
    Bookmark.objects.filter(account=actor, status=original).delete()
    return original


def status_pin(*, actor: Profile, status: Status) -> Status:
    """Feature one of the actor's own posts on their profile (at most five; never a
    reshare or a direct post)."""
    _own_post(actor, status)
    if status.is_reblog or status.visibility == Visibility.DIRECT:
        raise ValidationFailed(_("Validation failed: reshares and direct posts cannot be pinned"))
    with transaction.atomic():
        Profile.objects.select_for_update().filter(pk=actor.pk).first()  # one pin at a time
        pinned = Status.objects.filter(account=actor, pinned_at__isnull=False)
        if status.pinned_at is None and pinned.count() >= limits.MAX_PINNED_STATUSES:
            raise ValidationFailed(
                _("Validation failed: you can pin at most %(max)d posts")
                % {"max": limits.MAX_PINNED_STATUSES}
            )
        if status.pinned_at is None:
            status.pinned_at = timezone.now()
            Status.objects.filter(pk=status.pk).update(pinned_at=status.pinned_at)
    return status


def status_unpin(*, actor: Profile, status: Status) -> Status:
    _own_post(actor, status)
    Status.objects.filter(pk=status.pk).update(pinned_at=None)
    status.pinned_at = None
    return status


def conversation_mute(*, actor: Profile, status: Status) -> Status:
    """Mute the conversation of a post the actor may see (a reshare: of its original): no
    more notifications about the thread's posts (favourites, reshares, mentions and
    replies), as Mastodon's status mute. Idempotent; answers the post acted on."""
    original = _require_visible(actor, status)
    ConversationMute.objects.get_or_create(account=actor, thread_id=original.thread_id)
    return original


def conversation_unmute(*, actor: Profile, status: Status) -> Status:
    """Undo conversation_mute. Idempotent; answers the post acted on."""
    original = _require_visible(actor, status)
    ConversationMute.objects.filter(account=actor, thread_id=original.thread_id).delete()
    return original


def idempotency_keys_prune() -> int:
    """Forget keys older than the window; returns how many went."""
    deleted, _detail = IdempotencyKey.objects.filter(
        Q(created_at__lt=timezone.now() - IDEMPOTENCY_WINDOW)
    ).delete()
    return deleted
