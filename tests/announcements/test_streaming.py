"""Announcements on the `user` stream: `announcement`, `announcement.reaction` and
`announcement.delete`, published after commit with one payload for everyone."""

from __future__ import annotations

import json

import pytest

from staffroom.announcements.services import (
    announcement_create,
    announcement_delete,
    announcement_publish,
    announcement_reaction_add,
    announcement_reaction_remove,
)
from staffroom.streaming import broker
from staffroom.streaming.messages import (
    ANNOUNCEMENT,
    ANNOUNCEMENT_DELETE,
    ANNOUNCEMENT_REACTION,
    StreamMessage,
)
from staffroom.streaming.render import render_payloads
from staffroom.streaming.routing import ANNOUNCEMENTS_KEY
from staffroom.streaming.streams import Viewer, resolve_stream

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(monkeypatch: pytest.MonkeyPatch) -> list[StreamMessage]:
    sent: list[StreamMessage] = []
    monkeypatch.setattr(broker, "publish", sent.append)
    return sent


def test_every_user_stream_listens_for_announcements(ada):
    viewer = Viewer(account_id=ada.pk, scopes=frozenset({"read"}))
    assert ANNOUNCEMENTS_KEY in resolve_stream("user", {}, viewer).keys
    assert ANNOUNCEMENTS_KEY not in resolve_stream("public", {}, viewer).keys


def test_publishing_reacting_and_withdrawing_are_streamed(admin, ada, published, run_jobs):
    draft = announcement_create(actor=admin, text="Inset day :wave:", publish=False)
    run_jobs()
    assert published == []
    announcement_publish(actor=admin, announcement_id=draft.pk, publish=True)
    run_jobs()
    (message,) = published
    assert (message.event, message.keys) == (ANNOUNCEMENT, (ANNOUNCEMENTS_KEY,))
    body = json.loads(message.payload or "")
    assert body["id"] == str(draft.pk)
    assert body["read"] is False
    published.clear()

    announcement_reaction_add(account=ada, announcement_id=draft.pk, name="👍")
    run_jobs()
    (message,) = published
    assert message.event == ANNOUNCEMENT_REACTION
    assert json.loads(message.payload or "") == {
        "name": "👍",
        "count": 1,
        "announcement_id": str(draft.pk),
    }
    published.clear()
    announcement_reaction_remove(account=ada, announcement_id=draft.pk, name="👍")
    run_jobs()
    assert json.loads(published[0].payload or "")["count"] == 0
    published.clear()

    announcement_publish(actor=admin, announcement_id=draft.pk, publish=False)
    announcement_delete(actor=admin, announcement_id=draft.pk)
    run_jobs()
    assert [(m.event, m.payload) for m in published] == [(ANNOUNCEMENT_DELETE, str(draft.pk))]


def test_the_shared_payload_goes_to_signed_in_viewers_only():
    message = StreamMessage(event=ANNOUNCEMENT_DELETE, keys=(ANNOUNCEMENTS_KEY,), payload="7")
    assert render_payloads(message, [1, 2, None]) == {1: "7", 2: "7"}
    assert StreamMessage.decode(message.encode()).event == ANNOUNCEMENT_DELETE
