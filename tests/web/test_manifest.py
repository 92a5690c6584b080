"""The web app manifest and the icons: valid JSON with the content type browsers expect,
linked from every page with a favicon, each icon a PNG of the size it claims."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from PIL import Image

from tests.factories import make_user

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _manifest() -> dict[str, Any]:
    response = Client().get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    return json.loads(response.content)


def test_the_manifest_makes_the_site_installable():
    manifest = _manifest()
    assert manifest["name"]
    assert 0 < len(manifest["short_name"]) <= 12
    assert manifest["start_url"] == "/home"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#0b5c8c"
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes


def test_the_theme_colour_is_the_stylesheets_brand():
    css = (ROOT / "staffroom/web/static/web/staffroom.css").read_text()
    assert f"--brand: {_manifest()['theme_color']};" in css


def test_every_icon_exists_with_the_size_it_claims():
    for icon in _manifest()["icons"]:
        assert icon["src"].startswith("/static/")
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, f"{icon['src']} is missing"
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert f"{image.width}x{image.height}" == icon["sizes"]
        assert Client().get(icon["src"]).status_code == 200


def test_the_maskable_icon_fills_its_square():
    icon = next(i for i in _manifest()["icons"] if i.get("purpose") == "maskable")
    path = finders.find(icon["src"].removeprefix("/static/"))
    assert path
    with Image.open(path) as image:
        assert image.mode == "RGB"  # no transparent corners for the platform to fill


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_page_links_the_manifest_and_a_favicon(signed_in):
    client = Client()
    if signed_in:
        client.force_login(make_user(handle="ada"))
    page = client.get("/about").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert (
        'rel="icon" type="image/png" sizes="32x32" href="/static/web/icons/favicon-32.png"' in page
    )
    assert finders.find("web/icons/favicon-32.png")


def test_the_manifest_is_get_only():
    assert Client().post("/manifest.webmanifest").status_code == 405
