"""masto.js (npm `masto`, pinned in tests/contract/masto/package-lock.json) as a Mastodon app:
`tests/contract/masto/client.mjs` exchanges an authorization code and signs in with the
password grant through masto.js's own OAuth client (JSON bodies), registers an app, posts,
pages the home timeline by its Link headers, follows, favourites, bookmarks, keeps a list,
reads notifications and markers, asks a poll, keeps a filter, writes a direct message and
finds it among its conversations, schedules a post, changes its notification policy,
deletes and revokes. The script prints one JSON line per
step; every step must pass and the server must log no traceback.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.contract.conftest import (
    ContractServer,
    new_client,
    register_app,
    sign_in_and_authorize,
)
from tests.contract.node_support import HARNESS, node_environment, require_node
from tests.contract.streaming_support import assert_no_traceback_since, log_offset

pytestmark = [pytest.mark.contract, pytest.mark.timeout(240)]

SCRIPT_TIMEOUT_SECONDS = 150
SCOPES = ["read", "write", "follow", "push"]

# Every step client.mjs takes, in order: a step that silently disappeared fails the test too.
STEPS = [
    "apps.create",
    "oauth.token.create (authorization_code)",
    "oauth.token.create (password)",
    "accounts.verifyCredentials",
    "instance.fetch (v2)",
    "statuses.create (JSON, three posts)",
    "timelines.home.list (paged, limit 2)",
    "accounts.lookup",
    "accounts.follow and relationships",
    "statuses favourite, bookmark, context",
    "lists create, add, list accounts, remove",
    "notifications.list and markers",
    "statuses.create with a poll, polls.fetch",
    "filters (v2) create, list, update, remove",
    "direct post, conversations list, read, remove",
    "scheduled post create, list, update, remove",
    "notifications policy fetch and update",
    "statuses.remove",
    "oauth.revoke (password token)",
    "done",
]


def run_client(server: ContractServer, handle: str, friend: str) -> list[dict[str, object]]:
    node = require_node()
    app = register_app(server.base_url, name="masto.js contract", scopes=SCOPES)
    authorize_url = new_client(server.base_url, app).auth_request_url(
        scopes=SCOPES, allow_http=True
    )
    account = server.account(handle)
    code = sign_in_and_authorize(server.base_url, account.handle, account.password, authorize_url)
    argv = [
        node, "client.mjs", "--url", server.base_url,
        "--client-id", app.client_id, "--client-secret", app.client_secret,
        "--code", code, "--username", account.email, "--password", account.password,
        "--friend", friend, "--timeout", str(SCRIPT_TIMEOUT_SECONDS),
    ]  # fmt: skip
    finished = subprocess.run(  # noqa: S603 - our own script
        argv,
        cwd=HARNESS,
        capture_output=True,
        text=True,
        env=node_environment(),
        timeout=SCRIPT_TIMEOUT_SECONDS + 30,
        check=False,
    )
    lines = [json.loads(line) for line in finished.stdout.splitlines() if line.startswith("{")]
    assert lines, f"client.mjs printed nothing (exit {finished.returncode}):\n{finished.stderr}"
    return lines


def test_masto_js_signs_in_posts_pages_follows_and_revokes(contract_server: ContractServer):
    offset = log_offset(contract_server)
    lines = run_client(contract_server, "hilde", "hamid")
    failed = [line for line in lines if not line["ok"]]
    assert not failed, json.dumps(failed, indent=2)
    assert [line["step"] for line in lines] == STEPS
    by_step = {str(line["step"]): line for line in lines}
    assert by_step["accounts.verifyCredentials"]["acct"] == "hilde"
    assert by_step["timelines.home.list (paged, limit 2)"]["pages"] >= 2  # type: ignore[operator]
    assert_no_traceback_since(contract_server, offset)
