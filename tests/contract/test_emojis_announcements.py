"""Custom emojis and announcements against a real `staffroom serve`, driven by stock
Mastodon.py 2.3.3: `custom_emojis()`, a post's `emojis`, `announcements()`,
`announcement_dismiss()` and `announcement_reaction_create()`/`_delete()`, with the errors a
client sees for an unknown announcement and an unknown reaction. An administrator's work
(uploading an emoji, publishing an announcement) is done on the server with the services the
web pages use; it is taken away again at the end."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests
from mastodon import Mastodon, MastodonAPIError, MastodonNotFoundError

from tests.contract.conftest import (
    ContractServer,
    RegisteredApp,
    absolute,
    run_on_server,
    signed_in_client,
)

# Starting the server and the administrator's work on it (two `staffroom` commands) can take
# more than the default two minutes on a busy machine; the emoji may take a minute to show.
pytestmark = [pytest.mark.contract, pytest.mark.timeout(300)]

# Each web process keeps the map of enabled emojis at most a minute (docs/subsystems/emojis.md).
EMOJI_WAIT_SECONDS = 65.0

_SETUP = """
import io, json, os
from PIL import Image
from django.core.files.uploadedfile import SimpleUploadedFile
from staffroom.accounts.models import StaffRole, User
from staffroom.announcements.services import announcement_create
from staffroom.emojis.services import custom_emoji_create
spec = json.loads(os.environ["EMOJI_CONTRACT"])
admin, _ = User.objects.get_or_create(
    email=spec["admin"], defaults={"role": StaffRole.ADMIN, "is_staff": True}
)
buffer = io.BytesIO()
Image.new("RGBA", (64, 64), (20, 120, 200, 255)).save(buffer, "PNG")
custom_emoji_create(
    actor=admin,
    shortcode=spec["shortcode"],
    image=SimpleUploadedFile("emoji.png", buffer.getvalue()),
    category="Contract",
)
announcement_create(actor=admin, text=spec["text"])
"""

_TEARDOWN = """
import json, os
from staffroom.accounts.models import User
from staffroom.announcements.models import Announcement
from staffroom.announcements.services import announcement_delete
from staffroom.emojis.models import CustomEmoji
from staffroom.emojis.services import custom_emoji_delete
spec = json.loads(os.environ["EMOJI_CONTRACT"])
admin = User.objects.get(email=spec["admin"])
for item in Announcement.objects.filter(text=spec["text"]):
    announcement_delete(actor=admin, announcement_id=item.pk)
for emoji in CustomEmoji.objects.filter(shortcode=spec["shortcode"]):
    custom_emoji_delete(actor=admin, emoji_id=emoji.pk)
"""


@dataclass(frozen=True)
class Made:
    shortcode: str
    text: str


@pytest.fixture(scope="module")
def made(contract_server: ContractServer) -> Iterator[Made]:
    tag = uuid.uuid4().hex[:8]
    spec = {
        "admin": f"emoji-admin-{tag}@example.org",
        "shortcode": f"contract_{tag}",
        "text": f"Contract announcement {tag}: the server restarts on **Sunday**.",
    }
    run_on_server(contract_server, ["shell", "-c", _SETUP], EMOJI_CONTRACT=json.dumps(spec))
    yield Made(shortcode=spec["shortcode"], text=spec["text"])
    run_on_server(contract_server, ["shell", "-c", _TEARDOWN], EMOJI_CONTRACT=json.dumps(spec))


@pytest.fixture(scope="module")
def teacher(contract_server: ContractServer, contract_app: RegisteredApp) -> Mastodon:
    return signed_in_client(contract_server, contract_app, "hamid")


def _listed(api: Mastodon, shortcode: str) -> Any:
    deadline = time.monotonic() + EMOJI_WAIT_SECONDS
    while True:
        found = [emoji for emoji in api.custom_emojis() if emoji.shortcode == shortcode]
        if found or time.monotonic() > deadline:
            return found[0] if found else None
        time.sleep(1)


def test_custom_emojis_and_a_post_that_uses_one(
    contract_server: ContractServer, teacher: Mastodon, made: Made
):
    emoji = _listed(teacher, made.shortcode)
    assert emoji is not None, "the uploaded emoji never showed in custom_emojis()"
    assert emoji.category == "Contract"
    assert emoji.visible_in_picker is True
    image = requests.get(absolute(contract_server.base_url, emoji.url), timeout=10)
    assert image.status_code == 200
    assert image.headers["Content-Type"] == "image/png"
    status = teacher.status_post(f"Good morning :{made.shortcode}: staffroom")
    try:
        assert [item.shortcode for item in status.emojis] == [made.shortcode]
        assert teacher.status(status.id).emojis[0].url == emoji.url
    finally:
        teacher.status_delete(status.id)


def _ours(api: Mastodon, made: Made):
    found = [item for item in api.announcements() if made.text.split(":")[0] in item.content]
    assert len(found) == 1
    return found[0]


def test_announcements_dismiss_and_reactions(teacher: Mastodon, made: Made):
    assert _listed(teacher, made.shortcode) is not None
    item = _ours(teacher, made)
    assert item.read is False
    assert "<strong>Sunday</strong>" in item.content
    teacher.announcement_dismiss(item.id)
    assert _ours(teacher, made).read is True
    teacher.announcement_reaction_create(item.id, "👍")
    teacher.announcement_reaction_create(item.id, made.shortcode)
    reactions = {reaction.name: reaction for reaction in _ours(teacher, made).reactions}
    assert reactions["👍"].count == 1
    assert reactions["👍"].me is True
    assert reactions[made.shortcode].url.endswith(".png")
    teacher.announcement_reaction_delete(item.id, "👍")
    teacher.announcement_reaction_delete(item.id, made.shortcode)
    assert _ours(teacher, made).reactions == []


def test_unknown_announcements_and_reactions_are_refused(teacher: Mastodon, made: Made):
    item = _ours(teacher, made)
    with pytest.raises(MastodonNotFoundError):
        teacher.announcement_dismiss("999999999")
    with pytest.raises(MastodonAPIError) as refused:
        teacher.announcement_reaction_create(item.id, "not_an_emoji_here")
    assert "Validation failed" in str(refused.value)
