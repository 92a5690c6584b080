"""The graph's pages and the follow control, through the views (with and without htmx)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from staffroom.graph.models import (
    Block,
    Connection,
    ConnectionState,
    Follow,
    FollowRequest,
    Mute,
    PurposeList,
    PurposeListMember,
)
from staffroom.graph.services import (
    block_create,
    connection_accept,
    connection_ask,
    follow_create,
    mute_create,
    purpose_list_add_accounts,
    purpose_list_create,
)
from staffroom.profiles.models import Profile
from staffroom.profiles.professional import privacy_update
from tests.factories import make_profile

HTMX = {"HX-Request": "true"}
OWN_PAGES = [
    "/network/followers",
    "/network/following",
    "/network/connections",
    "/network/requests",
    "/network/lists",
    "/settings/blocks",
    "/settings/mutes",
]


def _act(client, target: Profile, action: str, htmx: bool = False, **data):
    headers = HTMX if htmx else {}
    return client.post(f"/network/accounts/{target.pk}/{action}", data, headers=headers)


@pytest.fixture
def as_ada(client_for, ada):
    return client_for(ada.user)


# --- Pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", OWN_PAGES)
def test_network_pages_render_empty_states(as_ada, url):
    response = as_ada.get(url)
    assert response.status_code == 200
    assert 'role="status"' in response.text


@pytest.mark.parametrize("url", [*OWN_PAGES, "/network", "/network/lists/1"])
def test_network_pages_require_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login")


def test_network_pages_list_people(as_ada, ada, bo, cy, locked):
    follow_create(actor=ada, target=bo)
    follow_create(actor=cy, target=ada)
    follow_create(actor=locked, target=ada)
    connection_ask(actor=cy, target=ada)
    block_create(actor=ada, target=locked)
    mute_create(actor=ada, target=bo, duration=3600)
    assert "@bo@" in as_ada.get("/network/following").text
    assert "@cy@" in as_ada.get("/network/followers").text
    assert "Accept connection" in as_ada.get("/network/connections").text
    assert "@lockedlee@" in as_ada.get("/settings/blocks").text
    mutes = as_ada.get("/settings/mutes").text
    assert "@bo@" in mutes
    assert "Muted until" in mutes


def test_requests_page_lists_requests(client_for, ada, locked):
    follow_create(actor=ada, target=locked)
    page = client_for(locked.user).get("/network/requests").text
    assert "@ada@" in page
    assert "Approve" in page


def test_settings_sections_list_blocks_and_mutes(as_ada):
    page = as_ada.get("/settings/blocks").text
    assert 'href="/settings/mutes"' in page
    assert 'aria-current="page">Blocks<' in page


def test_pages_paginate_by_20(as_ada, ada):
    for number in range(23):
        follow_create(actor=make_profile(f"fan{number:02}"), target=ada)
    first = as_ada.get("/network/followers").text
    assert first.count("person-row") == 20
    assert "?max_id=" in first
    cursor = first.split("?max_id=")[1].split('"')[0]
    second = as_ada.get(f"/network/followers?max_id={cursor}").text
    assert second.count("person-row") == 3
    assert "?min_id=" in second
    assert as_ada.get("/network/followers?max_id=nonsense").status_code == 200


# --- The follow control on profiles and cards ----------------------------------------------


def test_profile_shows_the_control_to_others_only(client, client_for, ada, bo):
    assert "Sign in to follow" in client.get("/@bo").text
    own = client_for(bo.user).get("/@bo").text
    assert "rel-" not in own
    other = client_for(ada.user).get("/@bo").text
    assert f'id="rel-{bo.pk}"' in other
    assert "Follow" in other
    assert "Connect" in other


def test_profile_shows_connected_distinctly(as_ada, ada, bo):
    connection_ask(actor=ada, target=bo)
    connection_accept(actor=bo, requester=ada)
    page = as_ada.get("/@bo").text
    assert "badge-connected" in page
    assert "Disconnect" in page


def test_directory_cards_carry_the_control(as_ada, ada, bo, cy):
    for profile in (bo, cy):
        privacy_update(profile=profile, is_discoverable=True)
    follow_create(actor=ada, target=bo)
    page = as_ada.get("/directory").text
    assert f'id="rel-{bo.pk}"' in page
    assert f'id="rel-{cy.pk}"' in page
    assert "Unfollow" in page


def test_follow_control_offers_default_lists_without_lists(as_ada, bo):
    page = as_ada.get("/@bo").text
    assert 'name="new_list" value="Classroom management"' in page


# --- Actions -------------------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True])
def test_follow_with_purposes(as_ada, ada, bo, htmx):
    classroom = purpose_list_create(actor=ada, title="Classroom management", purpose="practices")
    response = _act(as_ada, bo, "follow", htmx, purposes=[classroom.pk], next="/directory")
    if htmx:
        assert response.status_code == 200
        assert "<html" not in response.text
        assert "Unfollow" in response.text
    else:
        assert response.status_code == 302
        assert response["Location"] == "/directory"
    assert Follow.objects.filter(follower=ada, followee=bo).exists()
    assert PurposeListMember.objects.filter(list=classroom, profile=bo).exists()


def test_follow_creates_ticked_default_lists(as_ada, ada, bo):
    _act(as_ada, bo, "follow", new_list=["Classroom management"], quiet="on")
    [created] = PurposeList.objects.filter(owner=ada)
    assert created.title == "Classroom management"
    assert created.purpose == "practices"
    assert PurposeListMember.objects.filter(list=created, profile=bo).exists()
    assert Follow.objects.get(follower=ada, followee=bo).is_quiet


def test_follow_locked_makes_a_request_and_cancel_withdraws_it(as_ada, ada, locked):
    response = _act(as_ada, locked, "follow", True)
    assert "Cancel follow request" in response.text
    assert FollowRequest.objects.filter(follower=ada, followee=locked).exists()
    _act(as_ada, locked, "unfollow", True)
    assert not FollowRequest.objects.exists()


def _following(ada: Profile, bo: Profile) -> bool:
    return Follow.objects.filter(follower=ada, followee=bo).exists()


def _connection(ada: Profile, bo: Profile) -> str:
    found = Connection.objects.filter(requester__in=[ada, bo], addressee__in=[ada, bo]).first()
    return found.state if found else ""


CASES: list[tuple[str, Callable[[Profile, Profile], object], Callable[[Profile, Profile], bool]]]
CASES = [
    ("unfollow", lambda a, b: follow_create(actor=a, target=b), lambda a, b: not _following(a, b)),
    (
        "remove-follower",
        lambda a, b: follow_create(actor=b, target=a),
        lambda a, b: not _following(b, a),
    ),
    ("connect", lambda a, b: None, lambda a, b: _connection(a, b) == ConnectionState.ASKED),
    (
        "accept",
        lambda a, b: connection_ask(actor=b, target=a),
        lambda a, b: _connection(a, b) == ConnectionState.ACCEPTED and _following(a, b),
    ),
    ("decline", lambda a, b: connection_ask(actor=b, target=a), lambda a, b: not _connection(a, b)),
    (
        "disconnect",
        lambda a, b: (connection_ask(actor=a, target=b), connection_accept(actor=b, requester=a)),
        lambda a, b: not _connection(a, b) and _following(a, b),
    ),
    (
        "block",
        lambda a, b: follow_create(actor=a, target=b),
        lambda a, b: Block.objects.filter(blocker=a, blocked=b).exists() and not _following(a, b),
    ),
    (
        "unblock",
        lambda a, b: block_create(actor=a, target=b),
        lambda a, b: not Block.objects.exists(),
    ),
    ("unmute", lambda a, b: mute_create(actor=a, target=b), lambda a, b: not Mute.objects.exists()),
]


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize(("action", "setup", "check"), CASES, ids=[case[0] for case in CASES])
def test_each_action(as_ada, ada, bo, action, setup, check, htmx):
    setup(ada, bo)
    response = _act(as_ada, bo, action, htmx, next="/network/following")
    assert response.status_code == (200 if htmx else 302)
    if htmx:
        assert f'id="rel-{bo.pk}"' in response.text
    assert check(ada, bo)


@pytest.mark.parametrize("htmx", [False, True])
def test_authorize_and_reject_requests(client_for, ada, bo, locked, htmx):
    follow_create(actor=ada, target=locked)
    follow_create(actor=bo, target=locked)
    owner = client_for(locked.user)
    assert _act(owner, ada, "authorize", htmx).status_code == (200 if htmx else 302)
    _act(owner, bo, "reject", htmx)
    assert _following(ada, locked)
    assert not FollowRequest.objects.exists()


@pytest.mark.parametrize("htmx", [False, True])
def test_mute_for_an_hour_without_notifications(as_ada, ada, bo, htmx):
    response = _act(as_ada, bo, "mute", htmx, duration="3600")
    assert response.status_code == (200 if htmx else 302)
    mute = Mute.objects.get(muter=ada, muted=bo)
    assert not mute.hide_notifications
    assert mute.expires_at is not None
    assert timedelta(minutes=59) < mute.expires_at - timezone.now() <= timedelta(hours=1)


def test_mute_forever_with_notifications(as_ada, ada, bo):
    _act(as_ada, bo, "mute", duration="0", notifications="on")
    mute = Mute.objects.get(muter=ada, muted=bo)
    assert mute.hide_notifications
    assert mute.expires_at is None


def test_block_redirects_to_the_blocks_page(as_ada, bo):
    response = _act(as_ada, bo, "block", next="/@bo")
    assert response["Location"] == "/settings/blocks"
    assert as_ada.get("/@bo").status_code == 404


def test_change_purposes_of_a_follow(as_ada, ada, bo):
    first = purpose_list_create(actor=ada, title="Math resources", purpose="resources")
    second = purpose_list_create(actor=ada, title="Inspiration", purpose="inspiration")
    follow_create(actor=ada, target=bo, purposes=[first.pk])
    page = as_ada.get("/network/following").text
    assert "Why you follow" in page
    _act(as_ada, bo, "purposes", purposes=[second.pk])
    assert list(PurposeListMember.objects.filter(profile=bo).values_list("list", flat=True)) == [
        second.pk
    ]


def test_next_must_stay_on_this_site(as_ada, bo):
    """SECURITY-PLAN A-10."""
    response = _act(as_ada, bo, "follow", next="https://evil.example/")
    assert response["Location"] == "/@bo"


# --- Bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True])
def test_following_yourself_is_refused(as_ada, ada, htmx):
    response = _act(as_ada, ada, "follow", htmx)
    assert response.status_code == 422
    assert "yourself" in response.text
    assert not Follow.objects.exists()


def test_following_someone_who_blocks_you_is_a_404(as_ada, ada, bo):
    block_create(actor=bo, target=ada)
    for action in ("follow", "connect", "block", "mute"):
        assert _act(as_ada, bo, action).status_code == 404
    assert not Follow.objects.exists()
    assert not Connection.objects.exists()


def test_following_someone_you_block_says_unblock_first(as_ada, ada, bo):
    block_create(actor=ada, target=bo)
    response = _act(as_ada, bo, "follow")
    assert response.status_code == 403
    assert "Unblock it first" in response.text


def test_a_list_of_another_teacher_is_a_404(as_ada, ada, bo, cy):
    theirs = purpose_list_create(actor=bo, title="Bo's list")
    assert _act(as_ada, cy, "follow", purposes=[theirs.pk]).status_code == 404
    assert not Follow.objects.exists()
    assert as_ada.get(f"/network/lists/{theirs.pk}").status_code == 404
    assert as_ada.post(f"/network/lists/{theirs.pk}", {"title": "Mine"}).status_code == 404
    assert as_ada.post(f"/network/lists/{theirs.pk}/delete").status_code == 404
    assert as_ada.post(f"/network/lists/{theirs.pk}/remove", {"account_id": cy.pk}).status_code == (
        404
    )
    assert PurposeList.objects.get(pk=theirs.pk).title == "Bo's list"


@pytest.mark.parametrize(
    ("path", "data", "status"),
    [
        ("nonsense", {}, 404),
        ("follow", {"purposes": ["x"]}, 404),
        ("follow", {"new_list": ["Not offered"]}, 422),
        ("mute", {"duration": "12"}, 422),
        ("mute", {"duration": "-1"}, 422),
        ("purposes", {"purposes": []}, 422),
    ],
)
def test_tampered_posts_change_nothing(as_ada, ada, bo, path, data, status):
    assert _act(as_ada, bo, path, **data).status_code == status
    assert not Follow.objects.exists()
    assert not Mute.objects.exists()
    assert not PurposeList.objects.exists()


def test_unknown_accounts_and_methods(as_ada, db):
    assert as_ada.post("/network/accounts/999/follow").status_code == 404
    assert as_ada.post(f"/network/accounts/{2**64}/follow").status_code == 404
    assert as_ada.get("/network/accounts/999/follow").status_code == 405
    assert as_ada.get("/network/lists/abc").status_code == 404


def test_actions_require_sign_in(client, bo):
    response = _act(client, bo, "follow")
    assert response.status_code == 302
    assert not Follow.objects.exists()


# --- Purpose lists -------------------------------------------------------------------------


def test_lists_create_rename_exclusive_delete(as_ada, ada):
    response = as_ada.post(
        "/network/lists", {"title": "  Classroom management ", "purpose": "practices"}
    )
    assert response.status_code == 302
    found = PurposeList.objects.get(owner=ada)
    assert (found.title, found.purpose, found.exclusive) == (
        "Classroom management",
        "practices",
        False,
    )
    as_ada.post(
        f"/network/lists/{found.pk}",
        {"title": "Behaviour", "purpose": "practices", "exclusive": "on"},
    )
    found.refresh_from_db()
    assert (found.title, found.exclusive) == ("Behaviour", True)
    assert "Behaviour" in as_ada.get("/network/lists").text
    as_ada.post(f"/network/lists/{found.pk}/delete")
    assert not PurposeList.objects.exists()


@pytest.mark.parametrize(
    "data", [{"title": ""}, {"title": "x" * 300}, {"title": "Fine", "purpose": "gossip"}]
)
def test_lists_bad_input(as_ada, data):
    assert as_ada.post("/network/lists", data).status_code == 422
    assert not PurposeList.objects.exists()


def test_lists_defaults_and_members(as_ada, ada, bo):
    as_ada.post("/network/lists/defaults")
    titles = set(PurposeList.objects.filter(owner=ada).values_list("title", flat=True))
    assert "Classroom management" in titles
    classroom = PurposeList.objects.get(owner=ada, title="Classroom management")
    follow_create(actor=ada, target=bo)
    purpose_list_add_accounts(actor=ada, list_id=classroom.pk, profile_ids=[bo.pk])
    page = as_ada.get(f"/network/lists/{classroom.pk}").text
    assert "@bo@" in page
    as_ada.post(f"/network/lists/{classroom.pk}/remove", {"account_id": bo.pk})
    assert not PurposeListMember.objects.exists()
    assert _following(ada, bo)


# --- Public follower and following pages ---------------------------------------------------


def test_profile_follow_pages(client, ada, bo, cy):
    follow_create(actor=ada, target=bo)
    follow_create(actor=bo, target=cy)
    assert "@ada@" in client.get("/@bo/followers").text
    assert "@cy@" in client.get("/@bo/following").text
    assert client.get("/@nobody/followers").status_code == 404


def test_profile_follow_pages_honour_hide_follows(client, client_for, ada, bo):
    follow_create(actor=ada, target=bo)
    privacy_update(profile=bo, hide_follows=True)
    page = client.get("/@bo/followers").text
    assert "keeps their follow lists private" in page
    assert "@ada@" not in page
    assert "@ada@" in client_for(bo.user).get("/@bo/followers").text


def test_profile_follow_pages_404_across_a_block(client_for, ada, bo):
    block_create(actor=bo, target=ada)
    viewer = client_for(ada.user)
    assert viewer.get("/@bo/followers").status_code == 404
    assert viewer.get("/@bo/following").status_code == 404


# --- Query budgets -------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _grow(ada: Profile, number: int) -> None:
    lists = [purpose_list_create(actor=ada, title=f"List {n}") for n in range(2)]
    for n in range(number):
        other = make_profile(f"peer{number}x{n}")
        follow_create(actor=ada, target=other, purposes=[lists[n % 2].pk])
        follow_create(actor=other, target=ada)
        connection_ask(actor=ada, target=other)
        connection_accept(actor=other, requester=ada)
        block_create(actor=ada, target=make_profile(f"blocked{number}x{n}"))
        mute_create(actor=ada, target=other)
    privacy_update(profile=ada, is_locked=True)
    for n in range(number):
        follow_create(actor=make_profile(f"asker{number}x{n}"), target=ada)


@pytest.mark.parametrize(
    "url",
    [*OWN_PAGES, "/@{me}/followers", "/@{me}/following", "/directory", "/@peer{n}x0"],
)
def test_page_query_budgets_are_constant(client_for, db, url):
    small = make_profile("small")
    big = make_profile("big")
    _grow(small, 1)
    _grow(big, 6)
    client = client_for(small.user)
    few = _queries(client, url.format(me="small", n=1))
    client = client_for(big.user)
    many = _queries(client, url.format(me="big", n=6))
    assert many == few
    assert many <= 22


def test_list_detail_query_budget_is_constant(client_for, db):
    counts = []
    for number in (1, 8):
        owner = make_profile(f"owner{number}")
        found = purpose_list_create(actor=owner, title="Classroom management")
        for n in range(number):
            other = make_profile(f"member{number}x{n}")
            follow_create(actor=owner, target=other, purposes=[found.pk])
        counts.append(_queries(client_for(owner.user), f"/network/lists/{found.pk}"))
    assert counts[0] == counts[1]
