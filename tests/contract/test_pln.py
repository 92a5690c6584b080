"""The `pln` extension against a real `staffroom serve`.

Stock Mastodon.py 2.3.3 must carry `pln` on every Account and keep it through Mastodon's
own routes; the `/api/v1/pln/` routes (which Mastodon.py has no methods for) are driven with
plain `requests` and the same bearer token. `heidi` is the teacher whose practice is edited
here (see conftest.py); every test first sets what it relies on, so the order does not matter.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests
from mastodon import Mastodon

from tests.contract.conftest import (
    ContractServer,
    RegisteredApp,
    bearer_session,
    local_session,
    signed_in_client,
)

pytestmark = pytest.mark.contract

PLN_KEYS = {
    "role",
    "subjects",
    "grades",
    "grade_bands",
    "practices",
    "tags",
    "experience_years",
    "mentorship",
    "away",
}
GOAL_KEYS = {"purposes", "interaction", "learning"}
TIMEOUT = 30


@pytest.fixture(scope="module")
def heidi(contract_server: ContractServer, contract_app: RegisteredApp) -> Mastodon:
    return signed_in_client(contract_server, contract_app, "heidi")


@pytest.fixture(scope="module")
def heidi_http(heidi: Mastodon) -> requests.Session:
    return bearer_session(heidi)


def _url(server: ContractServer, path: str) -> str:
    return f"{server.base_url}/api/v1/pln/{path}"


def _json(response: requests.Response, status: int = 200) -> Any:
    where = f"{response.request.method} {response.url}"
    assert response.status_code == status, f"{where}: {response.status_code} {response.text[:800]}"
    assert response.headers["Content-Type"].startswith("application/json"), where
    return response.json()


def _set_practice(server: ContractServer, http: requests.Session, **body: Any) -> Any:
    return _json(http.patch(_url(server, "profile"), json=body, timeout=TIMEOUT))


def _set_math_grade_7(server: ContractServer, http: requests.Session) -> None:
    _set_practice(
        server,
        http,
        role="teacher",
        subjects=["math"],
        grades=["g7"],
        practices=["formative-assessment", "problem-based-learning"],
        experience_years=6,
        mentorship="offering",
    )


# --- pln on Mastodon.py's accounts ------------------------------------------------------------


def test_pln_verify_credentials_carries_pln_with_goals(heidi: Mastodon):
    me = heidi.account_verify_credentials()

    assert me.pln is not None
    assert set(me.pln) == PLN_KEYS | {"goals"}
    assert set(me.pln.goals) == GOAL_KEYS
    assert isinstance(me.pln.subjects, list)
    assert isinstance(me.pln.grade_bands, list)
    assert isinstance(me.pln.away, bool)


def test_pln_other_accounts_carry_pln_without_goals(hana: Mastodon, heidi: Mastodon):
    heidi_id = heidi.account_verify_credentials().id

    seen = hana.account(heidi_id)
    looked_up = hana.account_lookup("hamid")

    assert set(seen.pln) == PLN_KEYS
    assert set(looked_up.pln) == PLN_KEYS
    # Her own view of her account by id still includes the goals.
    assert set(heidi.account(heidi_id).pln) == PLN_KEYS | {"goals"}


def test_pln_survives_mastodon_update_credentials(
    contract_server: ContractServer, heidi: Mastodon, heidi_http: requests.Session
):
    _set_math_grade_7(contract_server, heidi_http)

    updated = heidi.account_update_credentials(note="Grade 7 maths; ask me about fractions.")

    assert set(updated.pln) == PLN_KEYS | {"goals"}
    assert updated.pln.subjects == ["math"]
    assert updated.pln.grades == ["g7"]
    me = heidi.account_verify_credentials()
    assert me.source.note == "Grade 7 maths; ask me about fractions."
    assert me.pln.subjects == ["math"]
    assert me.pln.grades == ["g7"]
    assert me.pln.role == "teacher"


# --- /api/v1/pln/taxonomy ---------------------------------------------------------------------


def test_pln_taxonomy_lists_subjects_practices_and_bands(
    contract_server: ContractServer, heidi_http: requests.Session
):
    taxonomy = _json(heidi_http.get(_url(contract_server, "taxonomy"), timeout=TIMEOUT))

    assert len(taxonomy["subjects"]) >= 40
    assert len(taxonomy["practices"]) >= 40
    assert all({"slug", "label"} <= set(term) for term in taxonomy["subjects"])
    bands = {band["slug"]: band["grades"] for band in taxonomy["grade_bands"]}
    assert bands["6-8"] == ["g6", "g7", "g8"]
    assert {"early-years", "k-2", "3-5", "9-12"} <= set(bands)
    slash = heidi_http.get(_url(contract_server, "taxonomy/"), timeout=TIMEOUT)
    assert _json(slash) == taxonomy


# --- /api/v1/pln/profile ----------------------------------------------------------------------


def test_pln_profile_patch_shows_on_the_mastodon_account(
    contract_server: ContractServer, heidi: Mastodon, heidi_http: requests.Session
):
    _set_practice(contract_server, heidi_http, subjects=["science"], grades=["g10"])

    _set_practice(contract_server, heidi_http, subjects=["math"], grades=["g7"])

    profile = _json(heidi_http.get(_url(contract_server, "profile"), timeout=TIMEOUT))
    assert profile["subjects"] == ["math"]
    assert profile["grades"] == ["g7"]
    me = heidi.account_verify_credentials()
    assert me.pln.subjects == ["math"]
    assert me.pln.grades == ["g7"]
    assert me.pln.grade_bands == ["6-8"]


def test_pln_profile_patch_accepts_a_form_body(
    contract_server: ContractServer, heidi: Mastodon, heidi_http: requests.Session
):
    response = heidi_http.patch(
        _url(contract_server, "profile"),
        data={"subjects[]": ["math", "algebra"], "grades[]": ["g7", "g8"]},
        timeout=TIMEOUT,
    )

    _json(response)
    me = heidi.account_verify_credentials()
    assert sorted(me.pln.subjects) == ["algebra", "math"]
    assert me.pln.grades == ["g7", "g8"]
    _set_math_grade_7(contract_server, heidi_http)


def test_pln_profile_unknown_slug_is_422_and_nothing_changes(
    contract_server: ContractServer, heidi: Mastodon, heidi_http: requests.Session
):
    _set_math_grade_7(contract_server, heidi_http)

    response = heidi_http.patch(
        _url(contract_server, "profile"),
        json={"subjects": ["math", "astrology"], "grades": ["g8"]},
        timeout=TIMEOUT,
    )

    body = _json(response, 422)
    assert body["error"].startswith("Validation failed: ")
    assert "astrology" in body["error"]
    me = heidi.account_verify_credentials()
    assert me.pln.subjects == ["math"]
    assert me.pln.grades == ["g7"]


def test_pln_profile_needs_a_token(contract_server: ContractServer):
    anonymous = local_session()

    response = anonymous.patch(
        _url(contract_server, "profile"), json={"subjects": ["math"]}, timeout=TIMEOUT
    )

    assert _json(response, 401)["error"]


# --- /api/v1/pln/goals --------------------------------------------------------------------------


def test_pln_goals_patch_shows_only_to_the_owner(
    contract_server: ContractServer,
    hana: Mastodon,
    heidi: Mastodon,
    heidi_http: requests.Session,
):
    goals = {"purposes": ["resources", "support"], "interaction": "quiet", "learning": ["visual"]}

    _json(heidi_http.patch(_url(contract_server, "goals"), json=goals, timeout=TIMEOUT))

    assert _json(heidi_http.get(_url(contract_server, "goals"), timeout=TIMEOUT)) == goals
    me = heidi.account_verify_credentials()
    assert dict(me.pln.goals) == goals
    assert "goals" not in hana.account(me.id).pln


def test_pln_goals_unknown_purpose_is_422(
    contract_server: ContractServer, heidi: Mastodon, heidi_http: requests.Session
):
    before = dict(heidi.account_verify_credentials().pln.goals)

    response = heidi_http.patch(
        _url(contract_server, "goals"),
        json={"purposes": ["fame"], "interaction": "reciprocal"},
        timeout=TIMEOUT,
    )

    assert _json(response, 422)["error"].startswith("Validation failed: ")
    assert dict(heidi.account_verify_credentials().pln.goals) == before


# --- /api/v1/pln/directory ----------------------------------------------------------------------


def _directory(server: ContractServer, http: requests.Session, **query: str) -> set[str]:
    accounts = _json(http.get(_url(server, "directory"), params=query, timeout=TIMEOUT))
    assert isinstance(accounts, list)
    for account in accounts:
        assert set(account["pln"]) >= PLN_KEYS
    return {account["username"] for account in accounts}


def test_pln_directory_finds_the_grade_7_math_teacher(
    contract_server: ContractServer, hana: Mastodon, heidi_http: requests.Session
):
    _set_math_grade_7(contract_server, heidi_http)
    hana_http = bearer_session(hana)

    assert "heidi" in _directory(contract_server, hana_http, subject="math", grade="6-8")
    assert "heidi" in _directory(contract_server, hana_http, subject="math", grade="g7")
    assert "heidi" not in _directory(contract_server, hana_http, subject="math", grade="9-12")
    assert "heidi" not in _directory(contract_server, hana_http, subject="science")


def test_pln_directory_hides_away_and_undiscoverable_teachers(
    contract_server: ContractServer, hana: Mastodon, heidi: Mastodon, heidi_http: requests.Session
):
    _set_math_grade_7(contract_server, heidi_http)
    hana_http = bearer_session(hana)
    try:
        _set_practice(contract_server, heidi_http, away=True)
        assert heidi.account_verify_credentials().pln.away is True
        assert hana.account(heidi.account_verify_credentials().id).pln.away is True
        assert "heidi" not in _directory(contract_server, hana_http, subject="math")
        _set_practice(contract_server, heidi_http, away=False)
        heidi.account_update_credentials(discoverable=False)
        assert "heidi" not in _directory(contract_server, hana_http, subject="math")
    finally:
        _set_practice(contract_server, heidi_http, away=False)
        heidi.account_update_credentials(discoverable=True)
    assert "heidi" in _directory(contract_server, hana_http, subject="math")


# --- Bad input ----------------------------------------------------------------------------------


def test_pln_profile_refuses_500_interests_whole(
    contract_server: ContractServer, heidi: Mastodon, heidi_http: requests.Session
):
    _set_math_grade_7(contract_server, heidi_http)
    taxonomy = _json(heidi_http.get(_url(contract_server, "taxonomy"), timeout=TIMEOUT))
    practices = [term["slug"] for term in taxonomy["practices"]]

    response = heidi_http.patch(
        _url(contract_server, "profile"),
        json={"practices": (practices * 20)[:500], "subjects": ["science"]},
        timeout=TIMEOUT,
    )

    assert _json(response, 422)["error"].startswith("Validation failed: ")
    assert heidi.account_verify_credentials().pln.subjects == ["math"]


def test_pln_profile_malformed_json_is_400_with_an_error(
    contract_server: ContractServer, heidi_http: requests.Session
):
    response = heidi_http.patch(
        _url(contract_server, "profile"),
        data="{not json",
        headers={"Content-Type": "application/json"},
        timeout=TIMEOUT,
    )

    assert _json(response, 400)["error"]
