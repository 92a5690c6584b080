"""Test data builders, shared by the whole suite.

Everything that has side effects is made by the service the app itself uses: accounts by
`account_create` (as sign-up does), professional terms by `professional_update`, posts by
`status_create`. Follows, blocks, mutes and favourites have no builder here on purpose: call
their services (`follow_create`, `block_create`, `mute_create`, `favourite_create`...) so
counters, feeds and notifications move as they do in the app. Only rows that no service
writes yet (remote profiles, until federation exists) are made with the ORM.
"""

from __future__ import annotations

from typing import Any

from factory.declarations import LazyAttribute, Sequence
from factory.django import DjangoModelFactory

from staffroom.accounts.models import StaffRole, User
from staffroom.accounts.services import account_create
from staffroom.posts.models import Status
from staffroom.posts.services import PostText, status_create
from staffroom.profiles.models import Profile
from staffroom.profiles.professional import (
    ProfessionalChanges,
    onboarding_complete,
    privacy_update,
    professional_update,
)

DEFAULT_PASSWORD = "a long enough passphrase"
DRAFT_FIELDS = ("spoiler_text", "sensitive", "language")


class UserFactory(DjangoModelFactory[User]):
    """A local account in good standing (verified, approved) and its profile."""

    class Meta:
        model = User

    handle = Sequence(lambda n: f"teacher{n + 1}")
    email = LazyAttribute(lambda o: f"{o.handle.lower()}@school.example")
    password = DEFAULT_PASSWORD
    verified = True

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        return account_create(**kwargs)


class RemoteProfileFactory(DjangoModelFactory[Profile]):
    """A profile from another server (no service makes them until federation exists)."""

    class Meta:
        model = Profile

    handle = Sequence(lambda n: f"remote{n + 1}")
    domain = "mastodon.example"
    uri = LazyAttribute(lambda o: f"https://{o.domain}/users/{o.handle}")


def make_user(
    *,
    handle: str | None = None,
    email: str | None = None,
    password: str = DEFAULT_PASSWORD,
    verified: bool = True,
    **extra: object,
) -> User:
    """A user in good standing, through `account_create`; `extra` goes to the service
    (`display_name`, `is_staff`, `is_superuser`, `approval`)."""
    given: dict[str, object] = {"password": password, "verified": verified, **extra}
    if handle is not None:
        given["handle"] = handle
    if email is not None:
        given["email"] = email
    return UserFactory.create(**given)


def make_staff(handle: str, role: str) -> User:
    """A member of staff: an administrator (who may use the Django admin) or a moderator."""
    user = make_user(handle=handle)
    user.role = role
    user.is_staff = role == StaffRole.ADMIN
    user.save(update_fields=["role", "is_staff"])
    return user


def make_profile(
    handle: str | None = None,
    *,
    locked: bool = False,
    onboarded: bool = False,
    display_name: str = "",
    **changes: Any,
) -> Profile:
    """A local teacher's profile. `changes` are the professional profile's
    (`subjects=["math"], grades=["g7"], role="coach"`...), written by `professional_update`;
    `locked` by `privacy_update`; `onboarded` marks onboarding done. With any of them the
    profile is read again, so it shows what was written."""
    profile = make_user(handle=handle, display_name=display_name).profile
    if changes:
        professional_update(profile=profile, changes=ProfessionalChanges(**changes))
    if locked:
        privacy_update(profile=profile, is_locked=True)
    if onboarded:
        onboarding_complete(profile=profile)
    if changes or locked or onboarded:
        return Profile.objects.get(pk=profile.pk)
    return profile


def make_profiles(count: int, prefix: str) -> list[Profile]:
    """`count` local profiles, `<prefix>0` to `<prefix><count - 1>`."""
    return [make_profile(f"{prefix}{number}") for number in range(count)]


def make_remote_profile(
    handle: str | None = None, domain: str = "mastodon.example", **fields: Any
) -> Profile:
    """A profile of another server's, `handle@domain`, with its `uri` there."""
    given: dict[str, Any] = {"domain": domain, **fields}
    if handle is not None:
        given["handle"] = handle
    return RemoteProfileFactory.create(**given)


def make_post(author: Profile, text: str = "Hello staffroom", **options: Any) -> Status:
    """A post by `author`, through `status_create`: `visibility`, `in_reply_to`,
    `modality`, and the draft's `spoiler_text`, `sensitive` and `language`."""
    draft_fields = {key: options.pop(key) for key in DRAFT_FIELDS if key in options}
    return status_create(author=author, draft=PostText(text=text, **draft_fields), **options)
