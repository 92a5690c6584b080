"""`GET /api/v1/custom_emojis` and the `emojis` of Status and Account entities."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django.core.cache import cache

from staffroom.emojis.selectors import CACHE_KEY
from staffroom.emojis.services import custom_emoji_create, custom_emoji_update
from staffroom.profiles.services import profile_update
from tests.emojis.images import upload
from tests.factories import make_post, make_remote_profile
from tests.graph.test_api_helpers import bearer

pytestmark = pytest.mark.django_db

EMOJI_KEYS = {"shortcode", "url", "static_url", "visible_in_picker", "category"}


@pytest.fixture
def wave(admin, run_jobs):
    emoji = custom_emoji_create(actor=admin, shortcode="wave", image=upload(), category="Hands")
    run_jobs()
    return emoji


def test_custom_emojis_are_public_and_cacheable(client, wave, admin, run_jobs):
    hidden = custom_emoji_create(actor=admin, shortcode="secret", image=upload())
    custom_emoji_update(actor=admin, emoji_id=hidden.pk, visible_in_picker=False)
    off = custom_emoji_create(actor=admin, shortcode="off", image=upload())
    custom_emoji_update(actor=admin, emoji_id=off.pk, disabled=True)
    run_jobs()
    response = client.get("/api/v1/custom_emojis")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    body = response.json()
    assert [item["shortcode"] for item in body] == ["wave"]
    assert set(body[0]) == EMOJI_KEYS
    assert body[0]["category"] == "Hands"
    assert body[0]["visible_in_picker"] is True
    assert body[0]["url"].startswith("http")
    assert "/media/emojis/" in body[0]["url"]
    image = client.get(urlparse(body[0]["url"]).path)
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"


def test_no_custom_emojis_is_an_empty_list(client):
    assert client.get("/api/v1/custom_emojis/").json() == []


def test_a_status_lists_the_emojis_its_text_uses(client, ada, wave):
    status = make_post(ada, "Good morning :wave: and :unknown:", spoiler_text="hi :wave:")
    body = client.get(f"/api/v1/statuses/{status.pk}", **bearer(ada)).json()
    assert [item["shortcode"] for item in body["emojis"]] == ["wave"]
    assert set(body["emojis"][0]) == EMOJI_KEYS
    # The content keeps the shortcode as text: clients put the image in.
    assert ":wave:" in body["content"]


def test_a_status_without_shortcodes_has_no_emojis(client, ada, wave):
    status = make_post(ada, "Plain text at 10:30")
    assert client.get(f"/api/v1/statuses/{status.pk}").json()["emojis"] == []


def test_a_disabled_emoji_is_not_listed(client, admin, ada, wave, run_jobs):
    custom_emoji_update(actor=admin, emoji_id=wave.pk, disabled=True)
    run_jobs()
    status = make_post(ada, "Good morning :wave:")
    assert client.get(f"/api/v1/statuses/{status.pk}").json()["emojis"] == []


def test_an_account_lists_the_emojis_of_its_name_and_bio(client, ada, wave):
    profile_update(profile=ada, display_name="Ada :wave:", note="Teaching :wave: daily")
    body = client.get(f"/api/v1/accounts/{ada.pk}").json()
    assert [item["shortcode"] for item in body["emojis"]] == ["wave"]
    status = make_post(ada, "plain")
    assert (
        client.get(f"/api/v1/statuses/{status.pk}").json()["account"]["emojis"][0]["shortcode"]
        == "wave"
    )


def test_remote_accounts_do_not_get_our_emojis(client, wave):
    remote = make_remote_profile("far", "remote.example", display_name="Far :wave:")
    assert client.get(f"/api/v1/accounts/{remote.pk}").json()["emojis"] == []


def test_a_page_of_statuses_reads_the_emojis_at_most_once(
    client, ada, wave, django_assert_max_num_queries
):
    for number in range(5):
        make_post(ada, f"Post {number} :wave:")
    client.get("/api/v1/timelines/public")  # warm everything but the emoji map
    cache.delete(CACHE_KEY)
    with django_assert_max_num_queries(40) as captured:
        body = client.get("/api/v1/timelines/public?local=true").json()
    assert all(item["emojis"][0]["shortcode"] == "wave" for item in body)
    emoji_reads = [q for q in captured.captured_queries if "emojis_customemoji" in q["sql"]]
    assert len(emoji_reads) == 1
