"""A block hides each side from the other wherever profiles are looked up (SECURITY-PLAN P-8):
the profile selectors every interface uses, and the Mastodon routes built on them."""

from __future__ import annotations

import pytest

from staffroom.core.exceptions import NotFound
from staffroom.graph.services import block_create, block_delete, mute_create
from staffroom.oauth.services import personal_token_create
from staffroom.profiles.selectors import (
    DirectoryFilters,
    directory_filtered,
    directory_list,
    profile_get_for_viewer,
    profile_lookup,
)
from staffroom.search.selectors import search


def _bearer(user):
    raw = personal_token_create(user=user, scopes="read write").raw_token
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.parametrize("direction", ["blocker_is_target", "viewer_is_blocker"])
def test_blocked_profiles_disappear_from_every_profile_selector(ada, bo, cy, direction):
    if direction == "blocker_is_target":
        block_create(actor=bo, target=ada)
    else:
        block_create(actor=ada, target=bo)
    viewer = ada.user

    with pytest.raises(NotFound):
        profile_get_for_viewer(bo.pk, viewer)
    with pytest.raises(NotFound):
        profile_lookup("bo", viewer)
    assert search(ada, "bo", kinds=["accounts"]).accounts == []
    assert bo not in directory_list(viewer=viewer)
    assert bo not in directory_filtered(DirectoryFilters(query="bo"), viewer=viewer)
    # Others still see both, and the viewer still sees everyone else and themself.
    assert profile_lookup("bo", cy.user) == bo
    assert profile_lookup("cy", viewer) == cy
    assert profile_get_for_viewer(ada.pk, viewer) == ada
    assert cy in directory_list(viewer=viewer)


def test_unblocking_shows_the_profile_again(ada, bo):
    block_create(actor=bo, target=ada)
    block_delete(actor=bo, target=ada)

    assert profile_lookup("bo", ada.user) == bo


def test_a_mute_hides_nothing_from_lookups(ada, bo):
    mute_create(actor=ada, target=bo)

    assert profile_lookup("bo", ada.user) == bo
    assert profile_lookup("ada", bo.user) == ada


def test_blocker_is_not_found_over_the_mastodon_api(client, ada, bo, cy):
    block_create(actor=bo, target=ada)
    headers = _bearer(ada.user)

    assert client.get(f"/api/v1/accounts/{bo.pk}", **headers).status_code == 404
    assert client.get("/api/v1/accounts/lookup", {"acct": "bo"}, **headers).status_code == 404
    search = client.get("/api/v1/accounts/search", {"q": "bo"}, **headers)
    assert search.status_code == 200
    assert [account["id"] for account in search.json()] == []
    directory = client.get("/api/v1/directory", {"local": "true"}, **headers).json()
    assert str(bo.pk) not in [account["id"] for account in directory]
    # The blocker does not see the blocked account either; a third person sees bo.
    assert client.get(f"/api/v1/accounts/{ada.pk}", **_bearer(bo.user)).status_code == 404
    third = _bearer(cy.user)
    assert client.get(f"/api/v1/accounts/{bo.pk}", **third).status_code == 200
    directory = client.get("/api/v1/directory", {"local": "true"}, **third).json()
    assert str(bo.pk) in [account["id"] for account in directory]
