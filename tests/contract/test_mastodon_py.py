"""Stock Mastodon.py 2.3.3 (`version_check_mode="created"`) against a real `staffroom serve`.

Every call goes through the library exactly as an app would make it; see conftest.py for the
server and the sign-in, and docs/api/compatibility.md for the matrix these tests back
(SECURITY-PLAN I-4).
"""

from __future__ import annotations

import os
import warnings
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import pytest
from mastodon import (
    Mastodon,
    MastodonAPIError,
    MastodonIllegalArgumentError,
    MastodonNotFoundError,
    MastodonUnauthorizedError,
)
from mastodon import internals as mastodon_internals
from PIL import Image

from tests.contract.conftest import (
    SCOPES,
    ContractServer,
    RegisteredApp,
    absolute,
    local_session,
    new_client,
    register_app,
    sign_in_and_authorize,
    signed_in_client,
)

pytestmark = pytest.mark.contract

# Mastodon.py 2.x fills every attribute an entity type knows with None when the server leaves
# it out, so absence is tested with `is None`, never with `in`.

UNKNOWN_ACCOUNT_ID = "109999999999999999"
PREFERENCE_KEYS = {
    "posting:default:visibility",
    "posting:default:sensitive",
    "posting:default:language",
    "reading:expand:media",
    "reading:expand:spoilers",
}


def _status(error: pytest.ExceptionInfo[MastodonAPIError]) -> int:
    # Mastodon.py raises ('Mastodon API returned error', status, reason, error message).
    return int(error.value.args[1])


def _error_message(error: pytest.ExceptionInfo[MastodonAPIError]) -> str:
    return str(error.value.args[3])


# --- The harness itself -------------------------------------------------------------------------


def test_healthz_reports_the_database_the_suite_runs_on(contract_server: ContractServer):
    """With DATABASE_URL at PostgreSQL (CI), the contract must really run on PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    postgres = bool(url) and dj_database_url.parse(url)["ENGINE"].endswith("postgresql")
    assert contract_server.database_vendor == ("postgresql" if postgres else "sqlite")

    health = local_session().get(f"{contract_server.base_url}/healthz", timeout=30).json()

    assert health["database"] == {"status": "ok", "vendor": contract_server.database_vendor}


# --- Apps and OAuth -------------------------------------------------------------------------


def test_apps_create_app_returns_client_credentials(contract_server: ContractServer):
    client_id, client_secret = Mastodon.create_app(
        "Contract",
        api_base_url=contract_server.base_url,
        scopes=["read", "write"],
        session=local_session(),
    )
    assert isinstance(client_id, str)
    assert client_id
    assert isinstance(client_secret, str)
    assert client_secret


def test_oauth_code_flow_gives_a_token_the_app_can_use(contract_server: ContractServer):
    app = register_app(contract_server.base_url, name="Contract", scopes=["read", "write"])
    api = new_client(contract_server.base_url, app)
    url = api.auth_request_url(scopes=["read", "write"], allow_http=True)
    assert urlsplit(url).netloc == urlsplit(contract_server.base_url).netloc
    account = contract_server.account("hana")
    code = sign_in_and_authorize(contract_server.base_url, account.handle, account.password, url)

    token = api.log_in(code=code, scopes=["read", "write"], allow_http=True)

    assert token
    assert api.access_token == token
    application = api.app_verify_credentials()
    assert application.name == "Contract"
    assert application.get("client_secret") is None


def test_password_login_gives_a_working_token(contract_server: ContractServer):
    app = register_app(contract_server.base_url, name="Password", scopes=["read", "write"])
    api = new_client(contract_server.base_url, app)
    account = contract_server.account("hana")

    token = api.log_in(account.email, account.password, scopes=["read"], allow_http=True)

    assert token
    assert api.account_verify_credentials().username == "hana"


def test_password_login_with_a_wrong_password_is_refused(contract_server: ContractServer):
    app = register_app(contract_server.base_url, name="Password", scopes=["read"])
    api = new_client(contract_server.base_url, app)
    with pytest.raises(MastodonIllegalArgumentError, match="invalid_grant"):
        api.log_in("heidi@example.org", "not the password", scopes=["read"], allow_http=True)


def test_oauth_userinfo_answers_the_signed_in_account(
    contract_server: ContractServer, monkeypatch: pytest.MonkeyPatch
):
    """Stock `oauth_userinfo()`, which follows the metadata's `userinfo_endpoint`. Mastodon.py
    refuses a plain-http OAuth URL there (it passes no `allow_http`), and this server runs on
    http://127.0.0.1, so its URL check is relaxed to what `allow_http=True` allows."""
    # The check lives on Mastodon.py's internals class, where `Mastodon.__oauth_url_check`
    # in its authentication module resolves.
    check = mastodon_internals.Mastodon.__dict__["_Mastodon__oauth_url_check"].__func__
    monkeypatch.setattr(
        mastodon_internals.Mastodon,
        "_Mastodon__oauth_url_check",
        staticmethod(lambda url, allow_http=False: check(url, allow_http=True)),
    )
    app = register_app(contract_server.base_url, name="Profile", scopes=["read", "profile"])
    api = new_client(contract_server.base_url, app)
    account = contract_server.account("hana")
    api.log_in(account.email, account.password, scopes=["profile"], allow_http=True)

    info = api.oauth_userinfo()

    base = contract_server.base_url
    assert api.oauth_authorization_server_info()["issuer"] == f"{base}/"
    assert info["iss"] == f"{base}/"
    assert info["preferred_username"] == "hana"
    assert info["sub"] == f"{base}/users/hana"
    assert info["profile"] == f"{base}/@hana"
    assert str(info["picture"]).startswith(base)


# --- Instance -------------------------------------------------------------------------------


def test_instance_v2_reports_a_version_mastodon_py_parses(
    contract_server: ContractServer, contract_app: RegisteredApp
):
    api = new_client(contract_server.base_url, contract_app)
    with warnings.catch_warnings():
        # "version >= 4.3.0 but no API version found" is a warning; here it is a failure.
        warnings.simplefilter("error")
        version = api.retrieve_mastodon_version(fail_hard=True)
    assert version
    # Mastodon.py only routes api.instance() to v2 from 4.0.0 on.
    assert api.verify_minimum_version("4.0.0", cached=True), version

    instance = api.instance()

    assert instance.get("api_versions"), "api.instance() did not return the v2 entity"
    assert isinstance(instance.api_versions["mastodon"], int)
    assert api.mastodon_api_version == instance.api_versions["mastodon"]
    assert instance.domain == urlsplit(contract_server.base_url).netloc
    assert instance.version
    assert instance.title


def test_instance_v1_matches_v2(contract_server: ContractServer, contract_app: RegisteredApp):
    api = new_client(contract_server.base_url, contract_app)

    v1 = api.instance_v1()
    v2 = api.instance_v2()

    assert v1.uri == urlsplit(contract_server.base_url).netloc
    assert v1.version == v2.version
    assert v1.title == v2.title


# --- Accounts: the signed-in teacher --------------------------------------------------------


def test_accounts_verify_credentials_includes_source(hana: Mastodon):
    me = hana.account_verify_credentials()

    assert me.username == "hana"
    assert me.acct == "hana"
    assert isinstance(me.id, (str, int))
    assert isinstance(me.created_at, datetime)
    assert me.source is not None
    assert isinstance(me.source.note, str)
    assert isinstance(me.source.fields, list)
    assert me.source.privacy in {"public", "unlisted", "private", "direct"}


def test_accounts_update_credentials_round_trips_profile_fields(
    contract_server: ContractServer, contract_app: RegisteredApp
):
    api = signed_in_client(contract_server, contract_app, "heidi")

    updated = api.account_update_credentials(
        display_name="Heidi H.",
        note="Maths, grade 7.",
        locked=True,
        fields=[("Subject", "Math"), ("Grade", "7")],
    )

    assert updated.display_name == "Heidi H."
    assert updated.locked is True
    assert [field.name for field in updated.fields] == ["Subject", "Grade"]
    me = api.account_verify_credentials()
    assert me.display_name == "Heidi H."
    assert me.locked is True
    assert me.source.note == "Maths, grade 7."
    assert "Maths, grade 7." in me.note
    assert [(f.name, f.value) for f in me.source.fields] == [("Subject", "Math"), ("Grade", "7")]
    assert [field.name for field in me.fields] == ["Subject", "Grade"]


def test_accounts_update_credentials_uploads_an_avatar(
    contract_server: ContractServer, contract_app: RegisteredApp, tmp_path: Path
):
    api = signed_in_client(contract_server, contract_app, "heidi")
    before = api.account_verify_credentials()
    avatar = tmp_path / "avatar.png"
    Image.new("RGB", (64, 64), (40, 120, 200)).save(avatar, format="PNG")

    updated = api.account_update_credentials(avatar=str(avatar))

    assert updated.avatar
    assert updated.avatar != before.avatar
    assert api.account_verify_credentials().avatar == updated.avatar
    image = local_session().get(absolute(contract_server.base_url, updated.avatar), timeout=30)
    assert image.status_code == 200, image.url
    assert image.headers["Content-Type"].startswith("image/")


# --- Accounts: everyone else -----------------------------------------------------------------


def test_accounts_lookup_finds_a_local_account(hana: Mastodon):
    found = hana.account_lookup("hamid")

    assert found.username == "hamid"
    assert found.acct == "hamid"
    assert found.id


def test_accounts_account_by_id_matches_lookup(hana: Mastodon):
    found = hana.account_lookup("hamid")

    account = hana.account(found.id)

    assert account.id == found.id
    assert account.username == "hamid"
    assert account.source is None  # only for the account itself


def test_accounts_search_matches_a_handle_prefix(hana: Mastodon):
    results = hana.account_search("ha")

    assert {"hana", "hamid"} <= {account.username for account in results}


def test_directory_lists_local_accounts(hana: Mastodon):
    listed = hana.directory(local=True)

    assert "hamid" in {account.username for account in listed}


def test_preferences_returns_mastodon_keys(hana: Mastodon):
    preferences = hana.preferences()

    assert set(preferences) >= PREFERENCE_KEYS
    assert preferences["posting:default:visibility"] in {"public", "unlisted", "private", "direct"}


# --- Tokens and errors ----------------------------------------------------------------------------


def test_oauth_revoked_token_is_unauthorized(
    contract_server: ContractServer, contract_app: RegisteredApp
):
    api = signed_in_client(contract_server, contract_app, "hana", scopes=SCOPES)
    token = str(api.access_token)
    assert api.app_verify_credentials().name == "Contract"

    api.revoke_access_token(allow_http=True)

    assert api.access_token is None
    stale = new_client(contract_server.base_url, contract_app, access_token=token)
    with pytest.raises(MastodonUnauthorizedError) as error:
        stale.app_verify_credentials()
    assert _status(error) == 401
    with pytest.raises(MastodonUnauthorizedError):
        stale.account_verify_credentials()


def test_accounts_update_credentials_with_read_only_token_is_forbidden(
    contract_server: ContractServer, contract_app: RegisteredApp
):
    api = signed_in_client(contract_server, contract_app, "hana", scopes=["read"])

    with pytest.raises(MastodonAPIError) as error:
        api.account_update_credentials(display_name="Not allowed")

    assert _status(error) == 403
    assert _error_message(error)
    assert api.account_verify_credentials().display_name != "Not allowed"


def test_accounts_unknown_id_is_not_found(hana: Mastodon):
    with pytest.raises(MastodonNotFoundError) as error:
        hana.account(UNKNOWN_ACCOUNT_ID)

    assert _status(error) == 404
    assert _error_message(error)
