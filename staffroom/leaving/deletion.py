"""Account deletion: the request (synchronous) and the deletion registry (the job).

`account_delete_request()` checks the password and, in one transaction, deactivates the
user, revokes their API tokens, reserves their handle and enqueues `account_delete_task`.
The job then runs every registered deletion part and finally deletes the user row.

A capability adds its part in its app's `deletions.py`:

    @deletion_part(name="posts", order=100)
    def posts_delete(user: User) -> None: ...

Parts run in `order` (content 100-499, the foundation's parts 800-999), each outside any
transaction so it can work in batches, and each must be idempotent: the job may stop half
way (a crash, a retry) and run every part again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from staffroom.accounts.models import User
from staffroom.core.exceptions import NotFound, PermissionDenied
from staffroom.core.jobs import enqueue
from staffroom.leaving.models import ReservedHandle
from staffroom.oauth.services import tokens_revoke_all
from staffroom.profiles.models import Profile

logger = logging.getLogger(__name__)

DeletionFunction = Callable[[User], None]


@dataclass(frozen=True)
class DeletionPart:
    name: str
    order: int
    func: DeletionFunction


_PARTS: dict[str, DeletionPart] = {}


def deletion_part(*, name: str, order: int) -> Callable[[DeletionFunction], DeletionFunction]:
    """Register a function that removes one capability's data of a deleted account."""

    def register(func: DeletionFunction) -> DeletionFunction:
        existing = _PARTS.get(name)
        if existing is not None and existing.func.__qualname__ != func.__qualname__:
            raise ValueError(f"deletion part {name!r} is already registered")
        _PARTS[name] = DeletionPart(name=name, order=order, func=func)
        return func

    return register


def deletion_parts() -> list[DeletionPart]:
    """Every registered part (each installed app's `deletions` module imported first)."""
    autodiscover_modules("deletions")
    return sorted(_PARTS.values(), key=lambda part: (part.order, part.name))


def account_delete_request(*, user: User, password: str) -> None:
    """Delete `user`'s account: now what must stop at once, the rest in a job.

    Raises PermissionDenied for a wrong password (nothing changes). Otherwise, in one
    transaction: the user is deactivated (sign-in is refused and every browser session
    stops authenticating: Django's backend rejects inactive users), every API token is
    revoked, the handle is reserved, and `account_delete_task` is enqueued. The caller
    signs the current session out. Calling it again for a deactivated user raises NotFound.
    """
    if not user.is_active:
        raise NotFound(_("This account is already being deleted."))
    if not user.check_password(password):
        raise PermissionDenied(_("That password is not right. Nothing was deleted."))
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if not locked.is_active:
            raise NotFound(_("This account is already being deleted."))
        now = timezone.now()
        User.objects.filter(pk=user.pk).update(is_active=False)
        tokens_revoke_all(user=locked)
        profile = Profile.objects.filter(user=locked).first()
        if profile is not None:
            ReservedHandle.objects.get_or_create(
                handle=profile.handle,
                defaults={"uri": profile.uri, "user_id": locked.pk, "reserved_at": now},
            )
        from staffroom.leaving.tasks import account_delete_task

        enqueue(account_delete_task, user_id=locked.pk)
    user.is_active = False


def account_delete_run(*, user_id: int) -> bool:
    """Remove everything of a deactivated account (the job's body); return whether it ran.

    Does nothing for a user that is gone (already deleted) or still active (a deletion was
    never asked for: a mistaken job must not delete a live account). Runs every deletion
    part, then deletes the user row, which takes what is left with it (profile, terms,
    sessions stop resolving). Idempotent; a part's exception propagates so the job retries.
    """
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return False
    if user.is_active:
        logger.error("Refusing to delete active user %s", user_id)
        return False
    for part in deletion_parts():
        part.func(user)
    with transaction.atomic():
        ReservedHandle.objects.filter(user_id=user_id).update(deleted_at=timezone.now())
        User.objects.filter(pk=user_id, is_active=False).delete()
    logger.info("Deleted account of user %s", user_id)
    return True
