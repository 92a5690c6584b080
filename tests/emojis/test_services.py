"""Custom emoji services: who may add them, what shortcodes and images pass, and what a
change does to the map of enabled emojis."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from staffroom.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from staffroom.core.images import ImageRejected
from staffroom.emojis.models import EMOJI_MAX_BYTES, CustomEmoji
from staffroom.emojis.selectors import emojis_in, enabled_emojis, picker_emojis, shortcodes_in
from staffroom.emojis.services import (
    custom_emoji_create,
    custom_emoji_delete,
    custom_emoji_update,
)
from tests.emojis.images import image_bytes, upload

pytestmark = pytest.mark.django_db


def test_an_administrator_adds_an_emoji_stored_as_a_small_png(admin, run_jobs):
    emoji = custom_emoji_create(actor=admin, shortcode=":blob_teacher:", image=upload())
    run_jobs()
    assert emoji.shortcode == "blob_teacher"
    assert emoji.image.startswith("emojis/")
    assert emoji.image.endswith(".png")
    assert default_storage.exists(emoji.image)
    assert set(enabled_emojis()) == {"blob_teacher"}


@pytest.mark.parametrize("kind", ["GIF", "WEBP"])
def test_gif_and_webp_are_accepted(admin, kind):
    emoji = custom_emoji_create(actor=admin, shortcode="anim", image=upload(kind, "a.img"))
    assert emoji.width == 64


def test_big_images_are_shrunk_to_128_pixels(admin):
    emoji = custom_emoji_create(
        actor=admin, shortcode="big", image=upload(data=image_bytes("PNG", (512, 256)))
    )
    assert (emoji.width, emoji.height) == (128, 64)


def test_teachers_and_moderators_cannot_add_emojis(user, moderator):
    for actor in (user, moderator):
        with pytest.raises(PermissionDenied):
            custom_emoji_create(actor=actor, shortcode="nope", image=upload())
    assert not CustomEmoji.objects.exists()


@pytest.mark.parametrize("code", ["a", "", "bad-code", "sp ace", "<script>", "é_code", "x" * 65])
def test_bad_shortcodes_are_refused(admin, code):
    with pytest.raises(ValidationFailed, match="Shortcode"):
        custom_emoji_create(actor=admin, shortcode=code, image=upload())
    assert not CustomEmoji.objects.exists()


def test_a_shortcode_is_taken_whatever_its_case(admin):
    custom_emoji_create(actor=admin, shortcode="BlobCat", image=upload())
    with pytest.raises(ValidationFailed, match="taken"):
        custom_emoji_create(actor=admin, shortcode="blobcat", image=upload())


def test_jpeg_and_non_images_are_refused_with_422(admin):
    for data in (None, b"<svg onload=alert(1)></svg>", b"GIF89a not really"):
        with pytest.raises(ImageRejected) as refused:
            custom_emoji_create(
                actor=admin,
                shortcode="x_y",
                image=upload("JPEG", data=data) if data is None else upload(data=data),
            )
        assert refused.value.status_code == 422
    assert not CustomEmoji.objects.exists()


def test_oversized_uploads_are_refused_with_413(admin):
    data = b"\x89PNG\r\n\x1a\n" + b"0" * EMOJI_MAX_BYTES
    with pytest.raises(ImageRejected) as refused:
        custom_emoji_create(actor=admin, shortcode="huge", image=upload(data=data))
    assert refused.value.status_code == 413
    assert not CustomEmoji.objects.exists()


def test_disabling_hiding_and_deleting(admin, run_jobs):
    emoji = custom_emoji_create(actor=admin, shortcode="wave", image=upload())
    run_jobs()
    assert [image.shortcode for image in picker_emojis()] == ["wave"]
    custom_emoji_update(actor=admin, emoji_id=emoji.pk, visible_in_picker=False)
    run_jobs()
    assert picker_emojis() == []
    assert "wave" in enabled_emojis()
    custom_emoji_update(actor=admin, emoji_id=emoji.pk, disabled=True)
    run_jobs()
    assert enabled_emojis() == {}
    custom_emoji_delete(actor=admin, emoji_id=emoji.pk)
    run_jobs()
    assert not default_storage.exists(emoji.image)
    with pytest.raises(NotFound):
        custom_emoji_delete(actor=admin, emoji_id=emoji.pk)


def test_teachers_cannot_change_or_delete_emojis(admin, user):
    emoji = custom_emoji_create(actor=admin, shortcode="wave", image=upload())
    with pytest.raises(PermissionDenied):
        custom_emoji_update(actor=user, emoji_id=emoji.pk, disabled=True)
    with pytest.raises(PermissionDenied):
        custom_emoji_delete(actor=user, emoji_id=emoji.pk)


def test_shortcodes_in_text():
    text = "Hi :wave::smile: at 10:30:45, not:glued: nor :a: but <b>:ok_1:</b>"
    assert shortcodes_in([text]) == ["wave", "smile", "ok_1"]


def test_emojis_in_reads_nothing_without_a_shortcode(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert emojis_in(["no emoji here", "time 10:30"]) == []


def test_emojis_in_reads_once_then_from_the_cache(admin, run_jobs, django_assert_num_queries):
    custom_emoji_create(actor=admin, shortcode="wave", image=upload())
    run_jobs()
    with django_assert_num_queries(1):
        assert [image.shortcode for image in emojis_in([":wave: :nope:"])] == ["wave"]
    with django_assert_num_queries(0):
        assert [image.shortcode for image in emojis_in([":wave:"])] == ["wave"]
