"""`/api/v1/pln/starter_packs`: reading packs (open to anyone), curating them (the curator or
an administrator), following a whole pack into a purpose list, and the packs the engine
proposes."""

from __future__ import annotations

from typing import Any

import pytest

from staffroom.graph.models import Follow, FollowRequest, PurposeList, PurposeListMember
from staffroom.graph.services import block_create, follow_create, purpose_list_create
from staffroom.profiles.models import Profile
from staffroom.profiles.uris import instance_base_url
from staffroom.recommendations.models import StarterPack
from staffroom.recommendations.services import PackFields, starter_pack_create
from staffroom.recommendations.snapshot import snapshot_build, snapshot_forget
from tests.factories import make_profile, make_user
from tests.graph.test_api_helpers import bearer, call
from tests.recommendations.community import build_community

pytestmark = pytest.mark.django_db

PACK_KEYS = {
    "id",
    "title",
    "description",
    "subjects",
    "grade_bands",
    "curator",
    "accounts_count",
    "url",
    "created_at",
    "updated_at",
}
BASE = "/api/v1/pln/starter_packs"


def _pack(curator: Profile, members: list[Profile], title: str = "Grade 7 math") -> StarterPack:
    return starter_pack_create(
        actor=curator,
        fields=PackFields(
            title=title,
            subjects=["math"],
            grade_bands=["6-8"],
            account_ids=[member.pk for member in members],
        ),
    )


def _handles(accounts: list[dict[str, Any]]) -> list[str]:
    return [account["acct"] for account in accounts]


def test_a_teacher_creates_a_pack_and_anyone_reads_it(client):
    curator = make_profile("curator")
    members = [make_profile("ana"), make_profile("ben"), make_profile("cai")]
    created = call(
        client,
        "POST",
        BASE,
        bearer(curator),
        {
            "title": " Grade 7  math ",
            "description": "People who share ratio tasks",
            "subjects": ["math"],
            "grade_bands": ["6-8"],
            "account_ids": [str(members[2].pk), members[0].pk, str(members[1].pk)],
        },
    )
    assert created.status_code == 200, created.content
    body = created.json()
    assert set(body) == PACK_KEYS | {"accounts"}
    assert body["title"] == "Grade 7 math"
    assert body["subjects"] == ["math"]
    assert body["grade_bands"] == ["6-8"]
    assert body["curator"]["acct"] == "curator"
    assert body["accounts_count"] == 3
    assert _handles(body["accounts"]) == ["cai", "ana", "ben"], "the curator's order"
    assert body["url"].startswith(instance_base_url() + "/")
    assert body["url"].rstrip("/").endswith(f"/{body['id']}")
    assert body["created_at"].endswith("Z")
    assert client.get(f"{BASE}/{body['id']}", **bearer(curator)).json() == body
    anonymous = client.get(f"{BASE}/{body['id']}").json()
    assert _handles(anonymous["accounts"]) == ["cai", "ana", "ben"]
    listed = client.get(BASE).json()
    assert [item["id"] for item in listed] == [body["id"]]
    assert set(listed[0]) == PACK_KEYS
    assert listed[0]["accounts_count"] == 3


def test_a_pack_is_created_from_a_form_with_bracketed_lists(client):
    curator, member = make_profile("curator"), make_profile("member")
    response = client.post(
        BASE,
        f"title=Science&subjects[]=science&grade_bands[]=9-12&account_ids[]={member.pk}",
        content_type="application/x-www-form-urlencoded",
        **bearer(curator),
    )
    assert response.status_code == 200, response.content
    assert response.json()["subjects"] == ["science"]
    assert _handles(response.json()["accounts"]) == ["member"]


def test_a_pack_of_151_accounts_is_refused_with_422_and_nothing_is_written(client):
    curator = make_profile("curator")
    response = call(
        client,
        "POST",
        BASE,
        bearer(curator),
        {"title": "Too big", "account_ids": [str(n) for n in range(1, 152)]},
    )
    assert response.status_code == 422
    assert "at most 150 accounts; this one has 151" in response.json()["error"]
    assert not StarterPack.objects.exists()


def test_bad_fields_are_refused_with_422(client):
    headers = bearer(make_profile("curator"))
    for body in ({"title": "  "}, {"title": "A", "subjects": ["alchemy"]}, {"description": "x"}):
        response = call(client, "POST", BASE, headers, body)
        assert response.status_code == 422, body
        assert response.json()["error"]
    assert not StarterPack.objects.exists()


def test_packs_are_filtered_and_paged(client):
    ana, ben = make_profile("ana"), make_profile("ben")
    math = _pack(ana, [], title="Math")
    science = starter_pack_create(
        actor=ben,
        fields=PackFields(title="Science", subjects=["science"], grade_bands=["9-12"]),
    )

    def ids(query: str) -> list[str]:
        response = client.get(f"{BASE}?{query}")
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()]

    assert ids("subject=math") == [str(math.pk)]
    assert ids("band=9-12") == [str(science.pk)]
    assert ids(f"curator={ben.pk}") == [str(science.pk)]
    assert ids("curator=999999999") == []
    assert ids("curator=nobody") == []
    assert ids("limit=1") == [str(science.pk)]  # most recently changed first
    assert ids("limit=1&offset=1") == [str(math.pk)]
    for bad in ("limit=0", "limit=81", "offset=-1"):
        assert client.get(f"{BASE}?{bad}").status_code == 422


def test_only_the_curator_or_an_administrator_changes_or_deletes_a_pack(client):
    curator, other = make_profile("curator"), make_profile("other")
    admin = make_user(handle="boss", is_staff=True).profile
    pack = _pack(curator, [make_profile("ana"), make_profile("ben")])
    path = f"{BASE}/{pack.pk}"
    refused = call(client, "PUT", path, bearer(other), {"title": "Mine now"})
    assert refused.status_code == 403
    assert refused.json()["error"]
    assert call(client, "DELETE", path, bearer(other)).status_code == 403
    changed = call(client, "PATCH", path, bearer(curator), {"title": "Ratios"})
    assert changed.status_code == 200
    assert changed.json()["title"] == "Ratios"
    assert changed.json()["subjects"] == ["math"], "fields left out stay"
    assert _handles(changed.json()["accounts"]) == ["ana", "ben"]
    reordered = call(
        client, "PUT", path, bearer(admin), {"account_ids": [str(make_profile("cai").pk)]}
    )
    assert reordered.status_code == 200
    assert _handles(reordered.json()["accounts"]) == ["cai"]
    assert reordered.json()["title"] == "Ratios"
    assert call(client, "PUT", f"{BASE}/999999999", bearer(curator), {}).status_code == 404
    deleted = call(client, "DELETE", path, bearer(curator))
    assert deleted.status_code == 200
    assert deleted.json() == {}
    assert client.get(path).status_code == 404


def test_a_pack_hides_members_on_either_side_of_a_block_from_the_viewer(client):
    viewer, shown, blocker = make_profile("viewer"), make_profile("shown"), make_profile("blocker")
    pack = _pack(make_profile("curator"), [blocker, shown])
    block_create(actor=blocker, target=viewer)
    mine = client.get(f"{BASE}/{pack.pk}", **bearer(viewer)).json()
    assert _handles(mine["accounts"]) == ["shown"]
    assert _handles(client.get(f"{BASE}/{pack.pk}").json()["accounts"]) == ["blocker", "shown"]


def test_following_a_pack_into_a_new_purpose_list_reports_each_account(client):
    reader = make_profile("reader")
    open_one, already, locked, blocker = (
        make_profile(handle) for handle in ("open_one", "already", "locked", "blocker")
    )
    Profile.objects.filter(pk=locked.pk).update(is_locked=True)
    follow_create(actor=reader, target=already)
    pack = _pack(make_profile("curator"), [open_one, already, locked, blocker, reader])
    block_create(actor=blocker, target=reader)
    response = call(
        client,
        "POST",
        f"{BASE}/{pack.pk}/follow",
        bearer(reader),
        {"list_title": "Grade 7 math", "list_purpose": "resources"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {
        "list_id",
        "results",
        "followed",
        "requested",
        "already_following",
        "unavailable",
    }
    made = PurposeList.objects.get(owner=reader)
    assert body["list_id"] == str(made.pk)
    assert made.purpose == "resources"
    results = {item["account"]["acct"]: item["result"] for item in body["results"]}
    assert results == {
        "open_one": "followed",
        "already": "already_following",
        "locked": "requested",
        "reader": "self",
    }, "an account that blocked you is counted, never shown"
    assert (body["followed"], body["requested"]) == (1, 1)
    assert (body["already_following"], body["unavailable"]) == (1, 1)
    listed = set(PurposeListMember.objects.filter(list=made).values_list("profile_id", flat=True))
    assert listed == {open_one.pk, already.pk}
    assert FollowRequest.objects.filter(follower=reader, followee=locked).exists()
    assert not Follow.objects.filter(follower=reader, followee=blocker).exists()


def test_following_a_pack_into_a_list_that_is_not_yours_is_404_and_follows_nobody(client):
    reader, owner = make_profile("reader"), make_profile("list_owner")
    theirs = purpose_list_create(actor=owner, title="Theirs", purpose="support")
    pack = _pack(make_profile("curator"), [make_profile("ana"), make_profile("ben")])
    path = f"{BASE}/{pack.pk}/follow"
    for list_id in (str(theirs.pk), "999999999", "nope"):
        response = call(client, "POST", path, bearer(reader), {"list_id": list_id})
        assert response.status_code == 404, list_id
    assert not Follow.objects.filter(follower=reader).exists()
    into_mine = purpose_list_create(actor=reader, title="Mine", purpose="support")
    response = call(client, "POST", path, bearer(reader), {"list_id": str(into_mine.pk)})
    assert response.json()["list_id"] == str(into_mine.pk)
    assert response.json()["followed"] == 2
    assert call(client, "POST", f"{BASE}/999999999/follow", bearer(reader)).status_code == 404


def test_proposals_are_packs_for_your_subject_and_band(client):
    community = build_community()
    snapshot_forget()
    snapshot_build()
    viewer = make_profile("viewer", subjects=["math"], grades=["g7"])
    response = client.get(f"{BASE}/proposals", **bearer(viewer))
    assert response.status_code == 200, response.content
    proposals = response.json()
    assert [(p["subject"], p["band"]) for p in proposals] == [("math", "6-8")]
    assert set(proposals[0]) == {"subject", "band", "title", "reason", "accounts"}
    assert proposals[0]["title"]
    assert proposals[0]["reason"]
    assert set(_handles(proposals[0]["accounts"])) == {p.handle for p in community.math7}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", BASE),
        ("PUT", f"{BASE}/1"),
        ("PATCH", f"{BASE}/1"),
        ("DELETE", f"{BASE}/1"),
        ("POST", f"{BASE}/1/follow"),
        ("GET", f"{BASE}/proposals"),
    ],
)
def test_pack_changes_and_proposals_need_a_token_with_their_scope(client, method, path):
    assert call(client, method, path, {}).status_code == 401
    wrong = bearer(make_profile("scoped"), scopes="read push")
    if method == "GET":
        wrong = bearer(make_profile("writer"), scopes="write push")
    assert call(client, method, path, wrong).status_code == 403
