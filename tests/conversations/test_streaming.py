"""The `conversation` streaming event: a new direct post is published to the direct
streams of its author and the local accounts it mentions, and each viewer's payload is
their own Conversation exactly as `GET /api/v1/conversations` lists it."""

from __future__ import annotations

import json

import pytest

from staffroom.conversations.models import Conversation
from staffroom.graph.services import mute_create
from staffroom.streaming.messages import CONVERSATION, StreamMessage
from staffroom.streaming.render import render_payloads
from tests.factories import make_post
from tests.graph.test_api_helpers import bearer

pytestmark = pytest.mark.django_db


def conversation(status_id: int) -> StreamMessage:
    return StreamMessage(event=CONVERSATION, keys=("direct:1",), status_id=status_id)


def test_each_participant_gets_their_own_conversation(client, ada, bo, stranger, run_jobs):
    status = make_post(ada, "@bo between us", visibility="direct")
    run_jobs()
    payloads = render_payloads(conversation(status.pk), [ada.pk, bo.pk, stranger.pk, None])
    assert set(payloads) == {ada.pk, bo.pk}
    for viewer in (ada, bo):
        [listed] = client.get("/api/v1/conversations", **bearer(viewer)).json()
        assert json.loads(payloads[viewer.pk]) == listed
    assert json.loads(payloads[bo.pk])["unread"] is True
    assert json.loads(payloads[ada.pk])["unread"] is False


def test_a_recipient_muting_the_author_gets_nothing(ada, bo, run_jobs):
    mute_create(actor=bo, target=ada)
    status = make_post(ada, "@bo hello", visibility="direct")
    assert set(render_payloads(conversation(status.pk), [ada.pk, bo.pk])) == {ada.pk}


def test_an_older_post_or_a_deleted_conversation_sends_nothing(ada, bo):
    first = make_post(ada, "@bo one", visibility="direct")
    make_post(bo, "@ada two", visibility="direct", in_reply_to=first)
    assert render_payloads(conversation(first.pk), [ada.pk, bo.pk]) == {}
    Conversation.objects.filter(owner=ada).delete()
    assert render_payloads(conversation(10**15), [ada.pk]) == {}


def test_the_event_name_survives_the_broker():
    message = conversation(42)
    assert StreamMessage.decode(message.encode()).event == "conversation"
