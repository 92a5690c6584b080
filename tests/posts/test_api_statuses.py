"""The Mastodon status routes: posting, reading, editing, deleting, history, source,
context, and favourite, reshare, bookmark and pin, through the real API stack."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from staffroom.core import limits
from staffroom.graph.services import connection_accept, connection_ask, follow_create
from staffroom.posts.entities import status_entities
from staffroom.posts.models import Bookmark, Favourite, IdempotencyKey, Status, StatusEdit, Tag
from staffroom.posts.selectors import visible_statuses
from staffroom.posts.services import bookmark_create, favourite_create, reblog_create
from tests.factories import make_user
from tests.graph.test_api_helpers import bearer, call, link_params

pytestmark = pytest.mark.django_db

STATUS_KEYS = {
    "id", "uri", "url", "created_at", "account", "content", "visibility", "sensitive",
    "spoiler_text", "media_attachments", "application", "mentions", "tags", "emojis",
    "reblogs_count", "favourites_count", "replies_count", "in_reply_to_id",
    "in_reply_to_account_id", "reblog", "poll", "card", "language", "edited_at", "pln",
}  # fmt: skip
VIEWER_KEYS = {"favourited", "reblogged", "muted", "bookmarked"}


def create(client, author, body, **headers):
    return call(client, "POST", "/api/v1/statuses", {**bearer(author), **headers}, body)


def test_post_answers_a_mastodon_status_with_pln(client, ada, bo):
    response = create(client, ada, {"status": "Fractions with #Maths, hi @bo", "language": "en"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == STATUS_KEYS | VIEWER_KEYS | {"pinned"}
    status = Status.objects.get(pk=int(body["id"]))
    assert status.account == ada
    assert body["url"].endswith(f"/@ada/{status.pk}")
    assert body["uri"] == status.uri
    assert body["created_at"].endswith("Z")
    assert "." in body["created_at"]
    assert body["account"]["id"] == str(ada.pk)
    assert body["account"]["statuses_count"] == 1
    assert body["visibility"] == "public"
    assert body["language"] == "en"
    assert body["mentions"] == [
        {"id": str(bo.pk), "username": "bo", "url": body["mentions"][0]["url"], "acct": "bo"}
    ]
    assert body["mentions"][0]["url"].endswith("/@bo")
    assert [tag["name"] for tag in body["tags"]] == ["Maths"]
    assert body["tags"][0]["url"].endswith("/tags/Maths")
    assert "<p>" in body["content"]
    assert "text" not in body
    assert body["pln"] == {
        "modality": "text",
        "visibility": "public",
        "community_id": None,
        "resource": None,
    }
    assert (body["favourited"], body["reblogged"], body["bookmarked"], body["pinned"]) == (
        False,
        False,
        False,
        False,
    )


def test_post_takes_a_form_body_and_private_visibilities(client, ada):
    headers = bearer(ada)
    form = client.post(
        "/api/v1/statuses",
        "status=For+followers&visibility=private&sensitive=true&spoiler_text=cw",
        content_type="application/x-www-form-urlencoded",
        **headers,
    )
    assert form.status_code == 200, form.content
    assert form.json()["visibility"] == "private"
    assert form.json()["pln"]["visibility"] == "followers"
    assert form.json()["sensitive"] is True
    assert form.json()["spoiler_text"] == "cw"
    refined = client.post(
        "/api/v1/statuses",
        "status=Only+connections&visibility=private&pln[visibility]=connections",
        content_type="application/x-www-form-urlencoded",
        **headers,
    )
    assert refined.json()["visibility"] == "private"
    assert refined.json()["pln"]["visibility"] == "connections"
    word = create(client, ada, {"status": "Also connections", "visibility": "connections"})
    assert word.json()["pln"]["visibility"] == "connections"
    stored = Status.objects.filter(account=ada).values_list("visibility", flat=True)
    assert sorted(stored) == ["connections", "connections", "followers"]


def test_post_with_the_same_idempotency_key_answers_the_same_post(client, ada):
    first = create(client, ada, {"status": "Once"}, HTTP_IDEMPOTENCY_KEY="abc-1")
    second = create(client, ada, {"status": "Once"}, HTTP_IDEMPOTENCY_KEY="abc-1")
    third = create(client, ada, {"status": "Once"}, HTTP_IDEMPOTENCY_KEY="abc-2")
    assert first.json()["id"] == second.json()["id"] != third.json()["id"]
    assert Status.objects.filter(account=ada).count() == 2
    assert IdempotencyKey.objects.count() == 2


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"media_ids": ["1"]}, "media attachment 1 is not one of your uploads"),
        (
            {"poll": {"options": ["a"], "expires_in": 300}},
            "Poll options must have more than one item",
        ),
        ({"scheduled_at": "2000-01-01T00:00:00Z"}, "at least 5 minutes in the future"),
        ({"visibility": "bogus"}, "Visibility must be one of"),
        ({"visibility": "public", "pln": {"visibility": "connections"}}, "pln.visibility"),
        ({"pln": {"visibility": "community"}}, "pln.visibility"),
        ({"language": "not a language"}, "Language"),
    ],
)
def test_post_refuses_what_it_cannot_do_and_stores_nothing(client, ada, extra, message):
    response = create(client, ada, {"status": "Hello", **extra})
    assert response.status_code == 422, response.content
    assert message in response.json()["error"]
    assert Status.objects.count() == 0
    assert IdempotencyKey.objects.count() == 0


def test_post_refuses_empty_oversized_and_too_many_mentions(client, ada):
    for number in range(51):
        make_user(handle=f"m{number}")
    cases = {
        "": "can't be blank",
        "   ": "can't be blank",
        "x" * (limits.post_characters_max() + 1): "character limit",
        " ".join(f"@m{number}" for number in range(51)): "at most 50",
    }
    for text, message in cases.items():
        response = create(client, ada, {"status": text, "language": "en"})
        assert response.status_code == 422, (text[:20], response.content)
        assert message in response.json()["error"]
    assert Status.objects.count() == 0
    assert Tag.objects.count() == 0
    fifty = " ".join(f"@m{number}" for number in range(50))
    assert create(client, ada, {"status": fifty}).status_code == 200


def test_reply_sets_the_thread_and_counts(client, ada, bo, post):
    parent = post(ada, "Question?")
    response = create(client, bo, {"status": "Answer", "in_reply_to_id": str(parent.pk)})
    assert response.status_code == 200, response.content
    assert response.json()["in_reply_to_id"] == str(parent.pk)
    assert response.json()["in_reply_to_account_id"] == str(ada.pk)
    parent.refresh_from_db()
    assert parent.replies_count == 1


@pytest.mark.parametrize("reply_to", ["hidden", "unknown", "junk"])
def test_reply_to_a_post_you_cannot_see_is_not_found_and_stores_nothing(
    client, ada, bo, post, reply_to
):
    hidden = post(ada, "Followers only", visibility="followers")
    target = {"hidden": str(hidden.pk), "unknown": str(hidden.pk + 1), "junk": "abc"}[reply_to]
    response = create(client, bo, {"status": "Sneaky", "in_reply_to_id": target})
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}
    assert Status.objects.filter(account=bo).count() == 0
    hidden.refresh_from_db()
    assert hidden.replies_count == 0


def test_get_one_post_anonymously_and_signed_in(client, ada, bo, post):
    status = post(ada, "Public note")
    anonymous = client.get(f"/api/v1/statuses/{status.pk}")
    assert anonymous.status_code == 200
    assert set(anonymous.json()) == STATUS_KEYS
    signed_in = client.get(f"/api/v1/statuses/{status.pk}", **bearer(bo))
    # `pinned` only on own posts; `filtered` (the viewer's filters, in context `thread`).
    assert set(signed_in.json()) == STATUS_KEYS | VIEWER_KEYS | {"filtered"}
    refused = client.get(f"/api/v1/statuses/{status.pk}", **bearer(bo, "write"))
    assert refused.status_code == 403


def test_get_several_posts_leaves_out_unknown_and_hidden_ones(client, ada, bo, post):
    first, second = post(ada, "one"), post(ada, "two")
    hidden = post(ada, "hidden", visibility="followers")
    query = f"id[]={second.pk}&id[]={hidden.pk}&id[]=12345&id[]=abc&id[]={first.pk}"
    response = client.get(f"/api/v1/statuses?{query}", **bearer(bo))
    assert response.status_code == 200
    assert [item["id"] for item in response.json()] == [str(second.pk), str(first.pk)]
    own = client.get(f"/api/v1/statuses?id[]={hidden.pk}", **bearer(ada))
    assert [item["id"] for item in own.json()] == [str(hidden.pk)]


def test_edit_keeps_history_and_source(client, ada, post):
    status = Status.objects.get(
        pk=int(create(client, ada, {"status": "First *draft*", "language": "en"}).json()["id"])
    )
    never = client.get(f"/api/v1/statuses/{status.pk}/history")
    assert [version["content"] for version in never.json()] == [status.content]
    response = call(
        client,
        "PUT",
        f"/api/v1/statuses/{status.pk}",
        bearer(ada),
        {"status": "Second draft", "spoiler_text": "cw"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert "Second draft" in body["content"]
    assert body["edited_at"] is not None
    assert body["language"] == "en"  # absent language keeps the old one
    history = client.get(f"/api/v1/statuses/{status.pk}/history").json()
    assert len(history) == 2
    assert "draft" in history[0]["content"]
    assert "<em>" in history[0]["content"]
    assert history[1]["spoiler_text"] == "cw"
    assert history[0]["account"]["id"] == str(ada.pk)
    source = client.get(f"/api/v1/statuses/{status.pk}/source", **bearer(ada))
    assert source.json() == {"id": str(status.pk), "text": "Second draft", "spoiler_text": "cw"}
    assert StatusEdit.objects.filter(status=status).count() == 2


def test_edit_of_someone_elses_post_is_forbidden_and_changes_nothing(client, ada, bo, post):
    status = post(ada, "Mine")
    response = call(client, "PUT", f"/api/v1/statuses/{status.pk}", bearer(bo), {"status": "x"})
    assert response.status_code == 403
    status.refresh_from_db()
    assert status.text == "Mine"
    assert StatusEdit.objects.count() == 0
    delete = call(client, "DELETE", f"/api/v1/statuses/{status.pk}", bearer(bo))
    assert delete.status_code == 403
    assert Status.objects.filter(pk=status.pk).exists()


def test_edit_refuses_media_and_empty_text(client, ada, post):
    status = post(ada, "Mine")
    path = f"/api/v1/statuses/{status.pk}"
    media = call(client, "PUT", path, bearer(ada), {"status": "x", "media_ids": ["3"]})
    assert media.status_code == 422
    empty = call(client, "PUT", path, bearer(ada), {"status": ""})
    assert empty.status_code == 422
    status.refresh_from_db()
    assert (status.text, status.edited_at) == ("Mine", None)


def test_delete_answers_the_post_with_its_text_and_then_it_is_gone(client, ada, bo, post):
    status = post(ada, "Delete *me*")
    favourite = client.post(f"/api/v1/statuses/{status.pk}/favourite", **bearer(bo))
    assert favourite.status_code == 200
    response = call(client, "DELETE", f"/api/v1/statuses/{status.pk}", bearer(ada))
    assert response.status_code == 200
    assert response.json()["text"] == "Delete *me*"
    assert response.json()["id"] == str(status.pk)
    assert not Status.objects.filter(pk=status.pk).exists()
    assert Favourite.objects.count() == 0
    assert client.get(f"/api/v1/statuses/{status.pk}").status_code == 404


def test_context_lists_visible_ancestors_and_descendants(client, ada, bo, cy, post):
    root = post(ada, "root")
    middle = post(bo, "middle", in_reply_to=root)
    hidden = post(cy, "hidden", in_reply_to=middle, visibility="followers")
    leaf = post(ada, "leaf", in_reply_to=middle)
    response = client.get(f"/api/v1/statuses/{middle.pk}/context")
    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body["ancestors"]] == [str(root.pk)]
    assert [item["id"] for item in body["descendants"]] == [str(leaf.pk)]
    own = client.get(f"/api/v1/statuses/{middle.pk}/context", **bearer(cy)).json()
    assert [item["id"] for item in own["descendants"]] == [str(hidden.pk), str(leaf.pk)]


def test_favourite_and_unfavourite(client, ada, bo, post):
    status = post(ada)
    path = f"/api/v1/statuses/{status.pk}"
    for _ in range(2):  # idempotent
        body = client.post(f"{path}/favourite", **bearer(bo)).json()
    assert (body["favourited"], body["favourites_count"]) == (True, 1)
    who = client.get(f"{path}/favourited_by")
    assert [account["id"] for account in who.json()] == [str(bo.pk)]
    mark = Favourite.objects.get()
    assert link_params(who)["next"].endswith(f"max_id={mark.pk}")
    body = client.post(f"{path}/unfavourite", **bearer(bo)).json()
    assert (body["favourited"], body["favourites_count"]) == (False, 0)
    assert Favourite.objects.count() == 0


def test_reblog_answers_the_reshare_and_unreblog_the_original(client, ada, bo, post):
    status = post(ada, "Share me")
    path = f"/api/v1/statuses/{status.pk}"
    response = call(client, "POST", f"{path}/reblog", bearer(bo), {"visibility": "unlisted"})
    assert response.status_code == 200, response.content
    body = response.json()
    reshare = Status.objects.get(account=bo, reblog_of=status)
    assert body["id"] == str(reshare.pk)
    assert body["visibility"] == "unlisted"
    assert body["reblog"]["id"] == str(status.pk)
    assert body["reblog"]["reblogged"] is True
    assert body["reblog"]["reblogs_count"] == 1
    who = client.get(f"{path}/reblogged_by").json()
    assert [account["id"] for account in who] == [str(bo.pk)]
    # Favouriting the reshare favourites the original, as on Mastodon.
    client.post(f"/api/v1/statuses/{reshare.pk}/favourite", **bearer(ada))
    assert Favourite.objects.get().status_id == status.pk
    undone = client.post(f"{path}/unreblog", **bearer(bo)).json()
    assert (undone["id"], undone["reblogged"], undone["reblogs_count"]) == (
        str(status.pk),
        False,
        0,
    )
    assert not Status.objects.filter(reblog_of=status).exists()


def test_reblog_of_a_private_post_is_refused_and_stores_nothing(client, ada, bo, post):
    follow_create(actor=bo, target=ada)
    for visibility in ("followers", "direct"):
        status = post(ada, "@bo only us", visibility=visibility)
        response = client.post(f"/api/v1/statuses/{status.pk}/reblog", **bearer(bo))
        assert response.status_code == 422, visibility
        assert "cannot be shared" in response.json()["error"]
    bogus = call(
        client, "POST", f"/api/v1/statuses/{post(ada).pk}/reblog", bearer(bo), {"visibility": "x"}
    )
    assert bogus.status_code == 422
    assert not Status.objects.filter(account=bo).exists()


def test_bookmark_and_unbookmark(client, ada, bo, post):
    status = post(ada)
    body = client.post(f"/api/v1/statuses/{status.pk}/bookmark", **bearer(bo)).json()
    assert body["bookmarked"] is True
    assert Bookmark.objects.filter(account=bo, status=status).exists()
    body = client.post(f"/api/v1/statuses/{status.pk}/unbookmark", **bearer(bo)).json()
    assert body["bookmarked"] is False
    assert not Bookmark.objects.exists()


def test_pin_and_unpin_own_posts_only(client, ada, bo, post):
    status = post(ada)
    body = client.post(f"/api/v1/statuses/{status.pk}/pin", **bearer(ada)).json()
    assert body["pinned"] is True
    status.refresh_from_db()
    assert status.pinned_at is not None
    assert client.post(f"/api/v1/statuses/{status.pk}/pin", **bearer(bo)).status_code == 403
    body = client.post(f"/api/v1/statuses/{status.pk}/unpin", **bearer(ada)).json()
    assert body["pinned"] is False
    status.refresh_from_db()
    assert status.pinned_at is None


def test_connections_only_post_is_read_by_connections(client, ada, bo, post):
    status = post(ada, "Our circle", visibility="connections")
    path = f"/api/v1/statuses/{status.pk}"
    assert client.get(path, **bearer(bo)).status_code == 404
    connection_ask(actor=bo, target=ada)
    connection_accept(actor=ada, requester=bo)
    response = client.get(path, **bearer(bo))
    assert response.status_code == 200
    assert response.json()["visibility"] == "private"
    assert response.json()["pln"]["visibility"] == "connections"


@pytest.mark.parametrize(
    "path",
    ["/api/v1/statuses/{id}", "/api/v1/statuses/{id}/context", "/api/v1/statuses/{id}/history"],
)
@pytest.mark.parametrize("junk", ["0", "-1", "abc", "99999999999999999999999"])
def test_junk_ids_are_not_found(client, ada, path, junk):
    response = client.get(path.format(id=junk), **bearer(ada))
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}


def test_status_entities_cost_constant_queries(ada, bo, cy, post):
    """A page of 5 or of 20 posts (with mentions, tags, replies and reshares) costs the
    same number of queries."""

    def page_queries(count: int) -> int:
        Status.objects.all().delete()
        for number in range(count):
            author = (ada, bo, cy)[number % 3]
            status = post(author, f"Post {number} #tag{number} @ada @bo")
            favourite_create(actor=ada, status=status)
            bookmark_create(actor=ada, status=status)
            if number % 2:
                reblog_create(actor=cy if author != cy else bo, status=status)
        statuses = list(visible_statuses(ada).order_by("-pk")[:count])
        with CaptureQueriesContext(connection) as queries:
            entities = status_entities(statuses, ada, None)
        assert len(entities) == count
        assert all(entity["favourited"] for entity in entities if entity["reblog"] is None)
        return len(queries)

    five, twenty = page_queries(5), page_queries(20)
    assert five == twenty
    assert twenty <= 10  # polls and the viewer's conversation mutes, once per page
