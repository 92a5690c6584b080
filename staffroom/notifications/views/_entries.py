"""How a page of notifications reads: one entry per group (as /api/v2/notifications groups
them), each with a sentence ("Bo and 3 others favourited your post"), the accounts, an
excerpt of the post and a link to its thread; the kind filter; and the away summary line.

Sentences are built here, through gettext, so templates only place them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from staffroom.notifications.models import Notification, NotificationKind
from staffroom.notifications.selectors import Group, grouped
from staffroom.posts.models import Status
from staffroom.posts.views._cards import status_url
from staffroom.profiles.models import Profile

EXCERPT_CHARS = 140

K = NotificationKind


@dataclass(frozen=True)
class KindFilter:
    """One choice of the filter: its query value, label and the kinds it shows."""

    slug: str
    label: object
    kinds: tuple[str, ...]


FILTERS: tuple[KindFilter, ...] = (
    KindFilter("all", gettext_lazy("All"), ()),
    KindFilter("mentions", gettext_lazy("Mentions and replies"), (K.MENTION,)),
    KindFilter("follows", gettext_lazy("Follows and requests"), (K.FOLLOW, K.FOLLOW_REQUEST)),
    KindFilter("favourites", gettext_lazy("Favourites and reshares"), (K.FAVOURITE, K.REBLOG)),
    KindFilter(
        "connections",
        gettext_lazy("Connections"),
        (K.CONNECTION_REQUEST, K.CONNECTION_ACCEPTED),
    ),
    KindFilter("posts", gettext_lazy("New posts"), (K.STATUS,)),
    KindFilter("reports", gettext_lazy("Reports"), (K.REPORT_RESOLVED,)),
)


def kind_filter(value: str) -> KindFilter:
    """The filter a query value names; an unknown value shows everything (like a
    malformed paging cursor, it is ignored rather than refused)."""
    for choice in FILTERS:
        if choice.slug == value:
            return choice
    return FILTERS[0]


@dataclass
class Entry:
    """One row of the page: a group of notifications as the teacher reads it."""

    group: Group
    sentence: str
    accounts: list[Profile]
    excerpt: str = ""
    link: str = ""
    link_label: str = ""
    member_ids: list[int] = field(default_factory=list)

    @property
    def latest(self) -> Notification:
        return self.group.latest


def excerpt(status: Status) -> str:
    """A short plain-text excerpt; a post behind a content warning shows the warning only."""
    if status.spoiler_text:
        return _("Content warning: %(warning)s") % {"warning": status.spoiler_text}
    text = status.text or strip_tags(status.content)
    return Truncator(" ".join(text.split())).chars(EXCERPT_CHARS)


def _sentence(group: Group, viewer: Profile) -> str:
    name = group.latest.account.name_for_display
    others = group.count - 1
    kind = group.kind
    if kind in (K.FAVOURITE, K.REBLOG, K.FOLLOW) and others:
        if kind == K.FAVOURITE:
            text = ngettext(
                "%(name)s and %(others)d other favourited your post",
                "%(name)s and %(others)d others favourited your post",
                others,
            )
        elif kind == K.REBLOG:
            text = ngettext(
                "%(name)s and %(others)d other reshared your post",
                "%(name)s and %(others)d others reshared your post",
                others,
            )
        else:
            text = ngettext(
                "%(name)s and %(others)d other followed you",
                "%(name)s and %(others)d others followed you",
                others,
            )
        return text % {"name": name, "others": others}
    status = group.latest.status
    sentences: dict[str, str] = {
        K.FAVOURITE: _("%(name)s favourited your post"),
        K.REBLOG: _("%(name)s reshared your post"),
        K.FOLLOW: _("%(name)s followed you"),
        K.FOLLOW_REQUEST: _("%(name)s asked to follow you"),
        K.STATUS: _("%(name)s posted"),
        K.CONNECTION_REQUEST: _("%(name)s asked to connect with you"),
        K.CONNECTION_ACCEPTED: _("%(name)s accepted your connection request"),
        K.REPORT_RESOLVED: _("A moderator handled your report"),
    }
    if kind == K.POLL:
        own = status is not None and status.account_id == viewer.pk
        text = _("Your poll has ended") if own else _("A poll you voted in has ended")
    elif kind == K.MENTION:
        replied = status is not None and status.in_reply_to_account_id == viewer.pk
        text = _("%(name)s replied to your post") if replied else _("%(name)s mentioned you")
    else:
        text = sentences.get(kind, _("%(name)s did something"))
    return text % {"name": name} if "%(name)s" in text else text


def _link(group: Group) -> tuple[str, str]:
    status = group.latest.status
    if status is not None:
        return status_url(status), _("Open the thread")
    if group.kind == K.FOLLOW_REQUEST:
        return reverse("graph:requests-list"), _("Review follow requests")
    if group.kind == K.CONNECTION_REQUEST:
        return reverse("graph:requests-list"), _("Review connection requests")
    if group.kind == K.REPORT_RESOLVED:
        return reverse("moderation:my-reports"), _("See your reports")
    return "", ""


def entries(viewer: Profile, notifications: Sequence[Notification]) -> list[Entry]:
    """The page's notifications (newest first) as entries, one per group."""
    members: dict[str, list[int]] = {}
    for notification in notifications:
        members.setdefault(notification.group_key, []).append(notification.pk)
    rows = []
    for group in grouped(list(notifications)):
        link, link_label = _link(group)
        status = group.latest.status
        rows.append(
            Entry(
                group=group,
                sentence=_sentence(group, viewer),
                accounts=[] if group.kind == K.REPORT_RESOLVED else group.sample_accounts,
                excerpt=excerpt(status) if status is not None else "",
                link=link,
                link_label=link_label,
                member_ids=members[group.key],
            )
        )
    return rows


def _away_phrase(kind: str, count: int) -> str:
    phrases: dict[str, str] = {
        K.MENTION: ngettext("%(count)d mention or reply", "%(count)d mentions and replies", count),
        K.STATUS: ngettext("%(count)d new post", "%(count)d new posts", count),
        K.REBLOG: ngettext("%(count)d reshare", "%(count)d reshares", count),
        K.FAVOURITE: ngettext("%(count)d favourite", "%(count)d favourites", count),
        K.FOLLOW: ngettext("%(count)d new follower", "%(count)d new followers", count),
        K.FOLLOW_REQUEST: ngettext("%(count)d follow request", "%(count)d follow requests", count),
        K.CONNECTION_REQUEST: ngettext(
            "%(count)d connection request", "%(count)d connection requests", count
        ),
        K.CONNECTION_ACCEPTED: ngettext(
            "%(count)d accepted connection", "%(count)d accepted connections", count
        ),
        K.REPORT_RESOLVED: ngettext("%(count)d report handled", "%(count)d reports handled", count),
        K.POLL: ngettext("%(count)d poll ended", "%(count)d polls ended", count),
    }
    return phrases.get(kind, ngettext("%(count)d other", "%(count)d others", count)) % {
        "count": count
    }


def away_line(summary: dict[str, int]) -> str:
    """ "While you were away: 3 mentions and replies, 5 new followers", in the kinds' order."""
    order = list(K.values)
    kinds = sorted(summary, key=lambda kind: order.index(kind) if kind in order else len(order))
    parts = [_away_phrase(kind, summary[kind]) for kind in kinds if summary[kind]]
    return _("While you were away: %(items)s") % {"items": ", ".join(parts)}
