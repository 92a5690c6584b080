"""oEmbed (`/api/oembed`) and the embed page (`/@handle/<id>/embed`): only public and
unlisted posts, the frame policy of the embed page alone, and the discovery link."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def _address(status) -> str:
    return f"{settings.STAFFROOM_SCHEME}://{settings.STAFFROOM_DOMAIN}/@{status.account.handle}/{status.pk}"


def test_oembed_answers_a_rich_iframe_for_a_public_post(client, ada, post):
    status = post(ada, "Number talks")
    response = client.get(f"/api/oembed?url={quote(_address(status))}&maxwidth=300&maxheight=500")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["type"] == "rich"
    assert body["version"] == "1.0"
    assert body["width"] == 300
    assert body["height"] == 500
    assert body["author_name"] == ada.name_for_display
    assert body["provider_name"] == settings.STAFFROOM_DOMAIN
    assert f"/@{ada.handle}/{status.pk}/embed" in body["html"]
    assert body["html"].startswith("<iframe ")
    default = client.get(f"/api/oembed?url={quote(_address(status))}").json()
    assert default["width"] == 400
    assert default["height"] is None


def test_oembed_for_unlisted_works_and_private_or_direct_is_404(client, ada, post):
    unlisted = post(ada, "Unlisted", visibility="unlisted")
    assert client.get(f"/api/oembed?url={quote(_address(unlisted))}").status_code == 200
    for visibility in ("followers", "connections", "direct"):
        hidden = post(ada, "Hidden", visibility=visibility)
        response = client.get(f"/api/oembed?url={quote(_address(hidden))}")
        assert response.status_code == 404, visibility
        assert response.json() == {"error": "Record not found"}
        assert client.get(f"/@{ada.handle}/{hidden.pk}/embed").status_code == 404


def test_oembed_refuses_other_addresses(client, ada, post):
    status = post(ada, "Mine")
    for url in (
        "",
        "not a url",
        f"https://elsewhere.example/@{ada.handle}/{status.pk}",
        f"{_address(status)}/history",
        f"{settings.STAFFROOM_SCHEME}://{settings.STAFFROOM_DOMAIN}/@someoneelse/{status.pk}",
        f"{settings.STAFFROOM_SCHEME}://{settings.STAFFROOM_DOMAIN}/@{ada.handle}/99999999999",
    ):
        assert client.get(f"/api/oembed?url={quote(url)}").status_code == 404, url
    assert client.get(f"/api/oembed?url={quote(_address(status))}&maxwidth=x").status_code in (
        400,
        422,
    )


def test_embed_page_may_be_framed_and_other_pages_may_not(client, ada, post):
    status = post(ada, "Frame me")
    embed = client.get(f"/@{ada.handle}/{status.pk}/embed")
    assert embed.status_code == 200
    assert "Frame me" in embed.content.decode()
    assert "X-Frame-Options" not in embed.headers
    assert "frame-ancestors *" in embed.headers["Content-Security-Policy"]
    page = client.get(f"/@{ada.handle}/{status.pk}")
    assert page.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]


def test_public_post_pages_link_their_oembed(client, ada, post):
    public = post(ada, "Discover me")
    page = client.get(f"/@{ada.handle}/{public.pk}").content.decode()
    assert 'type="application/json+oembed"' in page
    hidden = post(ada, "Followers", visibility="followers")
    client.force_login(ada.user, backend="staffroom.accounts.backends.EmailOrHandleBackend")
    own = client.get(f"/@{ada.handle}/{hidden.pk}").content.decode()
    assert "json+oembed" not in own
