"""Who to follow against a real `staffroom serve`: stock Mastodon.py 2.3.3 reads suggestions
(`suggestions()` calls `/api/v2/suggestions`) and dismisses one (`suggestion_delete`), and
the PLN routes Mastodon.py lacks are driven with plain HTTP and the same token: suggestions
for a purpose, similar educators, suggestions for a purpose list, starter packs.

The module adds a small community of its own to the server's database (a `staffroom shell`
script: grade 7 math teachers who follow one another, one a mentor, a few science teachers,
and `sg_viewer`, who follows two of the math teachers), then rebuilds the suggestions'
snapshot with `staffroom suggestions_refresh`, as an operator would after an import. Its
handles start with `sg_`, so the searches and directory checks of other modules are
unaffected; what a test changes (a dismissal, a list, a pack and its follows) is undone."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from mastodon import Mastodon

from tests.contract.conftest import (
    SCOPES,
    ContractServer,
    RegisteredApp,
    bearer_session,
    local_session,
    new_client,
    run_on_server,
    sign_in_and_authorize,
)

pytestmark = pytest.mark.contract

TIMEOUT = 30.0
VIEWER = "sg_viewer"
PASSWORD = "contract-sg-pw-long-enough"
MATH = [f"sg_m{i}" for i in range(6)]
SCIENCE = [f"sg_s{i}" for i in range(3)]
SUGGESTION_KEYS = {"source", "sources", "account", "reason", "reasons"}

_COMMUNITY = """
import json, os
from staffroom.accounts.services import account_create
from staffroom.graph.services.follow import follow_create
from staffroom.profiles.professional import ProfessionalChanges, professional_update

spec = json.loads(os.environ["SUGGESTIONS_COMMUNITY"])
made = {}
for handle, changes in spec["teachers"].items():
    user = account_create(
        email=f"{handle}@example.org", handle=handle, password=spec["password"], verified=True
    )
    professional_update(profile=user.profile, changes=ProfessionalChanges(**changes))
    made[handle] = user.profile
for follower, followee in spec["follows"]:
    follow_create(actor=made[follower], target=made[followee])
"""


def _community() -> dict[str, Any]:
    math = {"subjects": ["math"], "grades": ["g7"]}
    teachers: dict[str, dict[str, Any]] = {VIEWER: math}
    for index, handle in enumerate(MATH):
        extra = {"mentorship": "offering", "experience_years": 18} if index == 0 else {}
        teachers[handle] = {**math, **extra}
    for handle in SCIENCE:
        teachers[handle] = {"subjects": ["science"], "grades": ["g10"]}
    follows = [
        (handle, group[(index + step) % len(group)])
        for group in (MATH, SCIENCE)
        for index, handle in enumerate(group)
        for step in (1, 2)
    ]
    follows += [(VIEWER, "sg_m3"), (VIEWER, "sg_m4")]
    return {"teachers": teachers, "follows": follows, "password": PASSWORD}


@pytest.fixture(scope="module")
def community(contract_server: ContractServer) -> ContractServer:
    run_on_server(
        contract_server,
        ["shell", "-c", _COMMUNITY],
        SUGGESTIONS_COMMUNITY=json.dumps(_community()),
    )
    run_on_server(contract_server, ["suggestions_refresh"])
    return contract_server


@pytest.fixture(scope="module")
def viewer(community: ContractServer, contract_app: RegisteredApp) -> Mastodon:
    api = new_client(community.base_url, contract_app)
    url = api.auth_request_url(scopes=SCOPES, allow_http=True)
    code = sign_in_and_authorize(community.base_url, VIEWER, PASSWORD, url)
    api.log_in(code=code, scopes=SCOPES, allow_http=True)
    # A server that already held a snapshot keeps serving it while it loads the one just
    # built, in the background (as in production): wait until the new accounts show.
    deadline = time.monotonic() + 30
    while not any(a.acct.startswith("sg_") for a in api.suggestions()):
        assert time.monotonic() < deadline, "the refreshed snapshot was never served"
        time.sleep(0.2)
    return api


@pytest.fixture(scope="module")
def http(viewer: Mastodon) -> requests.Session:
    return bearer_session(viewer)


@pytest.fixture(scope="module")
def ids(viewer: Mastodon) -> dict[str, str]:
    return {handle: str(viewer.account_lookup(handle).id) for handle in [*MATH, *SCIENCE]}


def _pln(server: ContractServer, path: str) -> str:
    return f"{server.base_url}/api/v1/pln/{path}"


def _json(response: requests.Response, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.status_code} {response.text[:500]}"
    return response.json()


def _handles(items: list[dict[str, Any]]) -> list[str]:
    return [item["account"]["acct"] for item in items]


def test_mastodon_py_reads_suggestions_with_their_reasons(viewer: Mastodon):
    accounts = viewer.suggestions()
    handles = [account.acct for account in accounts]
    assert handles, "the community is suggested"
    assert not {VIEWER, "sg_m3", "sg_m4"} & set(handles), "never yourself or whom you follow"
    assert set(MATH) - {"sg_m3", "sg_m4"} <= set(handles)
    detailed = viewer.suggestions_v2()
    assert [item.account.acct for item in detailed] == handles
    first = detailed[0]
    assert set(first) >= SUGGESTION_KEYS
    assert first.sources
    assert first.reason
    assert {"kind", "text", "weight"} <= set(first.reasons[0])


def test_mastodon_py_dismisses_a_suggestion_for_good(
    viewer: Mastodon, http: requests.Session, community: ContractServer
):
    target = viewer.suggestions()[0]
    viewer.suggestion_delete(target)
    try:
        assert target.acct not in {account.acct for account in viewer.suggestions()}
    finally:
        restore = f"suggestions/{target.id}/restore"
        _json(http.post(_pln(community, restore), timeout=TIMEOUT))
    assert target.acct in {account.acct for account in viewer.suggestions()}


def test_pln_suggestions_for_a_purpose(http: requests.Session, community: ContractServer):
    url = _pln(community, "suggestions")
    mentors = _json(http.get(url, params={"purpose": "mentorship"}, timeout=TIMEOUT))
    assert "sg_m0" in _handles(mentors)[:2], "the mentor with 18 years comes first or second"
    assert all(set(item) == SUGGESTION_KEYS for item in mentors)
    assert any(reason["kind"] == "purpose_mentorship" for reason in mentors[0]["reasons"])
    error = _json(http.get(url, params={"purpose": "gossip"}, timeout=TIMEOUT), 422)["error"]
    assert "mentorship" in error
    _json(http.get(url, params={"limit": "81"}, timeout=TIMEOUT), 422)


def test_pln_similar_educators_with_and_without_a_token(
    http: requests.Session, community: ContractServer, ids: dict[str, str]
):
    url = _pln(community, f"accounts/{ids['sg_m1']}/similar")
    anonymous = _json(local_session().get(url, timeout=TIMEOUT))
    assert "sg_m1" not in _handles(anonymous)
    assert set(_handles(anonymous)[:3]) <= {*MATH, VIEWER}, "grade 7 math teachers"
    personal = _handles(_json(http.get(url, timeout=TIMEOUT)))
    assert not {"sg_m3", "sg_m4", VIEWER} & set(personal)
    _json(http.get(_pln(community, "accounts/999999999/similar"), timeout=TIMEOUT), 404)


@pytest.fixture
def mentors_list(viewer: Mastodon) -> Iterator[Any]:
    made = viewer.list_create("SG mentors")
    viewer.list_accounts_add(made, [viewer.account_lookup("sg_m3")])
    try:
        yield made
    finally:
        viewer.list_delete(made)


def test_pln_list_suggestions_and_another_persons_list_is_404(
    http: requests.Session, hana: Mastodon, community: ContractServer, mentors_list: Any
):
    path = f"lists/{mentors_list.id}/suggestions"
    found = _handles(_json(http.get(_pln(community, path), timeout=TIMEOUT)))
    assert found
    assert "sg_m3" not in found
    _json(bearer_session(hana).get(_pln(community, path), timeout=TIMEOUT), 404)


def test_pln_starter_pack_create_read_and_follow_into_a_new_list(
    viewer: Mastodon, http: requests.Session, community: ContractServer, ids: dict[str, str]
):
    members = [ids[handle] for handle in SCIENCE]
    # As a Mastodon app sends it: a form with bracketed lists.
    form = [("title", "Grade 10 science"), ("subjects[]", "science"), ("grade_bands[]", "9-12")]
    form += [("account_ids[]", member) for member in members]
    pack = _json(http.post(_pln(community, "starter_packs"), data=form, timeout=TIMEOUT))
    made_list: str | None = None
    try:
        assert pack["accounts_count"] == 3
        assert pack["curator"]["acct"] == VIEWER
        pack_url = _pln(community, f"starter_packs/{pack['id']}")
        read = _json(local_session().get(pack_url, timeout=TIMEOUT))
        assert [account["id"] for account in read["accounts"]] == members
        listed = _json(
            http.get(
                _pln(community, "starter_packs"), params={"subject": "science"}, timeout=TIMEOUT
            )
        )
        assert pack["id"] in {item["id"] for item in listed}
        followed = _json(
            http.post(
                _pln(community, f"starter_packs/{pack['id']}/follow"),
                json={"list_title": "Science", "list_purpose": "resources"},
                timeout=TIMEOUT,
            )
        )
        made_list = followed["list_id"]
        assert followed["followed"] == 3
        assert {item["result"] for item in followed["results"]} == {"followed"}
        in_list = viewer.list_accounts(made_list)
        assert {str(account.id) for account in in_list} == set(members)
    finally:
        for member in members:
            with contextlib.suppress(Exception):
                viewer.account_unfollow(member)
        if made_list is not None:
            viewer.list_delete(made_list)
        _json(http.delete(_pln(community, f"starter_packs/{pack['id']}"), timeout=TIMEOUT))
