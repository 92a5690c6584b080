"""Domain blocks of a teacher (Mastodon's user domain blocks: `/api/v1/domain_blocks`).

A domain block hides a whole server from one teacher. Every account here is local today,
so only what is cheap and true already applies: followers from the server are removed when
the block is made, and a Relationship says `domain_blocking` for its accounts. Hiding its
posts, notifications and new followers takes effect once federation lands
(docs/subsystems/graph.md, "Domain blocks").
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from staffroom.core.exceptions import ValidationFailed
from staffroom.graph.models import DOMAIN_MAX_LENGTH, DomainBlock
from staffroom.graph.services.follow import follows_delete
from staffroom.profiles.models import Profile

_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_LABEL_MAX = 63


def _invalid(value: str) -> ValidationFailed:
    return ValidationFailed(
        _("Validation failed: %(domain)s is not a valid domain name (like example.org)")
        % {"domain": value[:80] or '""'}
    )


def domain_normalize(value: str) -> str:
    """The domain `value` in the form it is stored: lower-case ASCII (IDNA), no trailing dot.

    Accepts `Example.ORG`, `bücher.example` (stored `xn--bcher-kva.example`) and a leading
    `@` or `*.`; refuses a scheme, path, port, user, spaces, an empty label and anything over
    253 characters, with ValidationFailed.
    """
    cleaned = str(value).strip().lower().removeprefix("@").removeprefix("*.").rstrip(".")
    if not cleaned or len(cleaned) > DOMAIN_MAX_LENGTH * 4:
        raise _invalid(cleaned)
    try:
        ascii_form = cleaned.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise _invalid(cleaned) from error
    labels = ascii_form.split(".")
    if len(ascii_form) > DOMAIN_MAX_LENGTH or not all(
        len(label) <= _LABEL_MAX and _LABEL.fullmatch(label) for label in labels
    ):
        raise _invalid(cleaned)
    return ascii_form


def own_domain() -> str:
    """This server's host (STAFFROOM_DOMAIN without a port), lower-case."""
    return str(settings.STAFFROOM_DOMAIN).lower().partition(":")[0]


@transaction.atomic
def domain_block_create(*, actor: Profile, domain: str) -> DomainBlock:
    """`actor` blocks the server `domain`; idempotent (blocking again returns the same row).

    Followers of `actor` on that server are removed (FollowDeleted for each, as Mastodon
    does); nothing else changes today. Raises ValidationFailed for an invalid domain
    (domain_normalize) and for this server's own domain.
    """
    given = str(domain).strip().lower()
    own_with_port = str(settings.STAFFROOM_DOMAIN).lower()
    normalized = own_domain() if given == own_with_port else domain_normalize(given)
    if normalized == own_domain():
        raise ValidationFailed(_("Validation failed: you cannot block your own server"))
    block, _created = DomainBlock.objects.get_or_create(account=actor, domain=normalized)
    follows_delete(Q(followee=actor, follower__domain__iexact=normalized))
    return block


@transaction.atomic
def domain_block_delete(*, actor: Profile, domain: str) -> bool:
    """`actor` unblocks the server `domain`. Idempotent: returns False when there was no
    block. Raises ValidationFailed for an invalid domain (domain_normalize)."""
    normalized = domain_normalize(domain)
    deleted, _counts = DomainBlock.objects.filter(account=actor, domain=normalized).delete()
    return bool(deleted)
