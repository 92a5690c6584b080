"""The administrators' emoji page, and custom emojis drawn in web pages."""

from __future__ import annotations

import pytest

from staffroom.emojis.models import CustomEmoji
from staffroom.emojis.services import custom_emoji_create
from staffroom.emojis.templatetags.emojis import emojify_html
from staffroom.profiles.services import profile_update
from tests.emojis.images import image_bytes, upload
from tests.factories import make_post

pytestmark = pytest.mark.django_db


def test_the_page_is_for_administrators_only(client_for, user, moderator, client):
    assert client.get("/moderation/emojis").status_code == 302  # to sign-in
    assert client_for(user).get("/moderation/emojis").status_code == 403
    assert client_for(moderator).get("/moderation/emojis").status_code == 403
    response = client_for(user).post(
        "/moderation/emojis", {"shortcode": "sneaky", "image": upload()}
    )
    assert response.status_code == 403
    assert not CustomEmoji.objects.exists()


def test_an_administrator_uploads_disables_and_deletes(client_for, admin):
    client = client_for(admin)
    page = client.get("/moderation/emojis")
    assert page.status_code == 200
    assert "No custom emojis yet" in page.content.decode()
    response = client.post(
        "/moderation/emojis",
        {
            "shortcode": "blobteacher",
            "image": upload(),
            "category": "Staff",
            "visible_in_picker": "on",
        },
    )
    assert response.status_code == 302
    emoji = CustomEmoji.objects.get()
    page = client.get("/moderation/emojis").content.decode()
    assert 'alt=":blobteacher:"' in page
    client.post(f"/moderation/emojis/{emoji.pk}/disable")
    emoji.refresh_from_db()
    assert emoji.is_disabled
    client.post(f"/moderation/emojis/{emoji.pk}/enable")
    client.post(f"/moderation/emojis/{emoji.pk}/hide")
    emoji.refresh_from_db()
    assert (emoji.is_disabled, emoji.is_visible_in_picker) == (False, False)
    assert client.post(f"/moderation/emojis/{emoji.pk}/explode").status_code == 404
    client.post(f"/moderation/emojis/{emoji.pk}/delete")
    assert not CustomEmoji.objects.exists()
    assert client.post(f"/moderation/emojis/{emoji.pk}/delete").status_code == 404


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"shortcode": "x", "image": "png"}, 422),
        ({"shortcode": "<script>", "image": "png"}, 422),
        ({"shortcode": "fine", "image": "text"}, 422),
        ({"shortcode": "fine", "image": "jpeg"}, 422),
        ({"shortcode": "fine", "image": "huge"}, 413),
        ({"shortcode": "fine"}, 422),
    ],
)
def test_bad_uploads_show_the_form_again(client_for, admin, fields, status):
    files = {
        "png": lambda: upload(),
        "text": lambda: upload(name="notes.txt", data=b"just text"),
        "jpeg": lambda: upload("JPEG", "photo.jpg"),
        "huge": lambda: upload(data=b"\x89PNG\r\n\x1a\n" + b"0" * 300_000),
    }
    data = dict(fields)
    if "image" in data:
        data["image"] = files[data["image"]]()
    response = client_for(admin).post("/moderation/emojis", data)
    assert response.status_code == status
    assert 'class="errorlist' in response.content.decode()
    assert not CustomEmoji.objects.exists()


def test_a_post_page_draws_the_emoji_in_content_and_name(client_for, admin, ada, run_jobs):
    custom_emoji_create(actor=admin, shortcode="wave", image=upload())
    run_jobs()
    profile_update(profile=ada, display_name="Ada :wave:")
    status = make_post(ada, "Hello :wave: and :unknown: and `:wave:`")
    page = client_for(admin).get(f"/@ada/{status.pk}").content.decode()
    assert page.count('<img class="emoji"') == 2  # the name and the text, not the code span
    assert 'alt=":wave:"' in page
    assert ":unknown:" in page
    assert "<code>:wave:</code>" in page


def test_the_profile_page_draws_emojis_in_name_and_bio(client, admin, ada, run_jobs):
    custom_emoji_create(actor=admin, shortcode="wave", image=upload())
    run_jobs()
    profile_update(profile=ada, display_name="Ada :wave:", note="I teach :wave:")
    page = client.get("/@ada").content.decode()
    assert page.count('<img class="emoji"') >= 2


def test_emojify_only_touches_text_and_stays_inert(admin, run_jobs):
    """SECURITY-PLAN H-4."""
    custom_emoji_create(actor=admin, shortcode="wave", image=upload())
    run_jobs()
    html = '<p><a href="https://x.example/:wave:" title=":wave:">:wave:</a> <pre>:wave:</pre></p>'
    out = str(emojify_html(html))
    assert 'href="https://x.example/:wave:"' in out
    assert 'title=":wave:"' in out
    assert out.count("<img") == 1
    assert "<pre>:wave:</pre>" in out


def test_a_display_name_with_markup_stays_text(client_for, admin, ada, run_jobs):
    """SECURITY-PLAN H-2."""
    custom_emoji_create(actor=admin, shortcode="wave", image=upload())
    run_jobs()
    profile_update(profile=ada, display_name="<img src=x onerror=alert(1)>:wave:")
    status = make_post(ada, "hi")
    page = client_for(admin).get(f"/@ada/{status.pk}").content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_image_bytes_helper_makes_pngs():
    assert image_bytes().startswith(b"\x89PNG")
