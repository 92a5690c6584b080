"""`profile_update`: cleaning, limits, images, and writing nothing on error."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from staffroom.core import images
from staffroom.core.exceptions import ValidationFailed
from staffroom.core.images import ImageRejected
from staffroom.profiles.models import Profile
from staffroom.profiles.services import profile_update
from tests.factories import make_profile


def png(size=(40, 40)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 200, 90)).save(buffer, "PNG")
    return SimpleUploadedFile("picture.png", buffer.getvalue(), content_type="image/png")


def stored_files(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def profile(db):
    return make_profile("ana", display_name="Ana")


def fresh(profile):
    return Profile.objects.get(pk=profile.pk)


@pytest.mark.django_db
def test_profile_update_changes_only_what_is_given(profile):
    updated = profile_update(profile=profile, note="Hello", is_locked=True)
    assert updated.note == "Hello"
    assert updated.is_locked
    saved = fresh(profile)
    assert (saved.display_name, saved.note, saved.is_locked) == ("Ana", "Hello", True)
    assert saved.is_discoverable


@pytest.mark.django_db
def test_profile_update_strips_control_characters(profile):
    updated = profile_update(
        profile=profile,
        display_name="  An\x00a\u200b \x1b[31m ",
        note="Line one\r\nLine\ttwo\x07\r\n\r\nPara",
        fields=[{"name": "Sub\nject", "value": "Ma\x7fth"}],
    )
    assert updated.display_name == "Ana\u200b [31m"
    assert updated.note == "Line one\nLine\ttwo\n\nPara"
    assert updated.fields == [{"name": "Subject", "value": "Math"}]


@pytest.mark.django_db
def test_profile_update_drops_blank_fields_and_replaces_the_list(profile):
    profile_update(
        profile=profile, fields=[{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]
    )
    updated = profile_update(
        profile=profile, fields=[{"name": " ", "value": ""}, {"name": "C", "value": "3"}]
    )
    assert updated.fields == [{"name": "C", "value": "3"}]
    assert profile_update(profile=profile, fields=[]).fields == []


@pytest.mark.django_db
def test_profile_update_accepts_the_limits_exactly(profile):
    updated = profile_update(
        profile=profile,
        display_name="d" * 100,
        note="n" * 5000,
        fields=[{"name": "k" * 255, "value": "v" * 2048}] * 4,
    )
    assert len(updated.display_name) == 100
    assert len(fresh(profile).fields) == 4


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"display_name": "x" * 101}, "Display name is too long (maximum is 100 characters)"),
        ({"note": "x" * 5001}, "Note is too long (maximum is 5000 characters)"),
        ({"fields": [{"name": "a", "value": "b"}] * 5}, "Fields are too many (maximum is 4)"),
        ({"fields": [{"name": "a" * 256, "value": "b"}]}, "Field name is too long"),
        ({"fields": [{"name": "a", "value": "b" * 2049}]}, "Field value is too long"),
        ({"fields": [{"name": "", "value": "no name"}]}, "Field name can't be blank"),
    ],
)
def test_profile_update_rejects_what_is_over_the_limits(profile, changes, message):
    """SECURITY-PLAN R-4."""
    with pytest.raises(ValidationFailed, match=r"^Validation failed: ") as caught:
        profile_update(profile=profile, **{"is_locked": True, **changes})
    assert message in caught.value.message
    saved = fresh(profile)
    assert (saved.display_name, saved.note, saved.fields) == ("Ana", "", [])
    assert not saved.is_locked


@pytest.mark.django_db
def test_profile_update_lists_every_problem_at_once(profile):
    with pytest.raises(ValidationFailed) as caught:
        profile_update(profile=profile, display_name="x" * 101, note="y" * 5001)
    assert "Display name" in caught.value.message
    assert "Note" in caught.value.message


@pytest.mark.django_db
def test_profile_update_stores_avatar_and_header(profile, media_root):
    updated = profile_update(profile=profile, avatar=png((500, 300)), header=png((3000, 1000)))
    assert updated.avatar.startswith("avatars/")
    assert updated.header.startswith("headers/")
    assert stored_files(media_root) == sorted([updated.avatar, updated.header])
    with Image.open(media_root / updated.header) as header:
        assert header.size == (1500, 500)


@pytest.mark.django_db
def test_profile_update_deletes_the_replaced_avatar_after_commit(
    profile, media_root, django_capture_on_commit_callbacks
):
    first = profile_update(profile=profile, avatar=png()).avatar
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        second = profile_update(profile=profile, avatar=png()).avatar
    assert first != second
    # Until the transaction commits, the old file is still there (a rollback keeps it).
    assert stored_files(media_root) == sorted([first, second])
    for callback in callbacks:
        callback()
    assert stored_files(media_root) == [second]


@pytest.mark.django_db
def test_profile_update_rejects_a_non_image_and_writes_nothing(profile, media_root):
    fake = SimpleUploadedFile("cat.png", b"GIF89a but not really", content_type="image/png")
    with pytest.raises(ValidationFailed, match=r"^Validation failed: Avatar: "):
        profile_update(profile=profile, display_name="Changed", header=png(), avatar=fake)
    assert fresh(profile).display_name == "Ana"
    assert stored_files(media_root) == []


@pytest.mark.django_db
def test_profile_update_keeps_413_for_an_image_with_too_many_bytes(profile, media_root, settings):
    settings.STAFFROOM_IMAGE_MAX_BYTES = 50
    with pytest.raises(ImageRejected) as caught:
        profile_update(profile=profile, avatar=png())
    assert caught.value.status_code == 413
    assert stored_files(media_root) == []


@pytest.mark.django_db
def test_profile_update_removes_new_files_when_the_save_fails(profile, media_root):
    Profile.objects.filter(pk=profile.pk).delete()
    with pytest.raises(Profile.DoesNotExist):
        profile_update(profile=profile, avatar=png(), header=png())
    assert stored_files(media_root) == []


@pytest.mark.django_db
def test_profile_update_over_the_api_maps_413(client, profile, media_root, settings):
    from django.test.client import encode_multipart

    from staffroom.oauth.services import personal_token_create

    settings.STAFFROOM_IMAGE_MAX_BYTES = 50
    raw = personal_token_create(user=profile.user, scopes="write:accounts").raw_token
    response = client.patch(
        "/api/v1/accounts/update_credentials",
        data=encode_multipart("BoUnDaRyStRiNg", {"avatar": png()}),
        content_type="multipart/form-data; boundary=BoUnDaRyStRiNg",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 413
    assert "too large" in response.json()["error"]


def test_an_avatar_is_decoded_in_the_sandbox_never_full_size_in_this_process(
    profile, media_root, monkeypatch
):
    """A small PNG claiming 36 megapixels is decoded by the media sandbox's child; this
    process only ever decodes the child's copy, at most 2560 px a side."""
    decoded: list[tuple[int, int]] = []
    original = images._decode

    def recording(data: bytes, *, needed: int):
        image, source_format = original(data, needed=needed)
        decoded.append(image.size)
        return image, source_format

    monkeypatch.setattr(images, "_decode", recording)
    buffer = io.BytesIO()
    Image.new("L", (6000, 6000), 255).save(buffer, "PNG")
    assert len(buffer.getvalue()) < 200_000
    upload = SimpleUploadedFile("big.png", buffer.getvalue())
    updated = profile_update(profile=profile, avatar=upload)
    assert updated.avatar
    assert decoded
    assert max(max(size) for size in decoded) <= 2560
