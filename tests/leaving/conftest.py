"""A teacher with something in every foundation part: images, terms, apps and tokens."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from PIL import Image

from staffroom.accounts.models import User
from staffroom.core.images import AVATAR, HEADER, process_image, store_image
from staffroom.oauth.services import application_register, personal_token_create
from staffroom.profiles.models import Profile, ProfileTerm, TermKind
from tests.factories import make_user


@dataclass
class Teacher:
    user: User
    profile: Profile
    token: str
    client_secret: str
    avatar_bytes: bytes


def _png(color: tuple[int, int, int], size: tuple[int, int] = (60, 60)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def files(settings, tmp_path):
    """Media and the private exports folder under a temporary directory."""
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "data" / "media"
    settings.MEDIA_ROOT.mkdir(parents=True)
    return tmp_path


def make_teacher(handle: str) -> Teacher:
    user = make_user(handle=handle)
    avatar = process_image(_png((200, 10, 10)), AVATAR)
    header = process_image(_png((10, 200, 10), (300, 100)), HEADER)
    Profile.objects.filter(user=user).update(
        display_name=f"{handle} the teacher",
        note="I teach *grade 7* maths.",
        note_html="<p>I teach <em>grade 7</em> maths.</p>",
        fields=[{"name": "School", "value": "Hill Middle"}],
        avatar=store_image(avatar, folder="avatars"),
        header=store_image(header, folder="headers"),
        role="teacher",
        experience_years=12,
        mentorship="offering",
        timezone="Europe/Lisbon",
        goal_purposes=["resources"],
        interaction_style="quiet",
        learning_styles=["visual"],
        is_locked=True,
    )
    profile = Profile.objects.get(user=user)
    ProfileTerm.objects.create(profile=profile, kind=TermKind.SUBJECT, value="mathematics")
    ProfileTerm.objects.create(profile=profile, kind=TermKind.TAG, value="fractions")
    registered = application_register(
        name=f"{handle}'s script", redirect_uris="urn:ietf:wg:oauth:2.0:oob", owner=user
    )
    token = personal_token_create(user=user, scopes="read write").raw_token
    personal_token_create(user=user, scopes="read", application=registered.application)
    return Teacher(user, profile, token, registered.client_secret, avatar.content)


@pytest.fixture
def teacher(db, files) -> Teacher:
    return make_teacher("ada")


@pytest.fixture
def colleague(db, files) -> Teacher:
    return make_teacher("grace")
