"""The toot CLI (0.52.1, unpatched) against a real `staffroom serve`.

toot resolves every `@handle` through `/api/v2/search` (`resolve=true`, `type=accounts`) and
looks hashtags up the same way, so its account and tag commands are the proof that search
answers as Mastodon does. It signs in through the browser or the password grant; here it is
handed a token made through the code flow instead, written into its own configuration file
(in a temporary XDG_CONFIG_HOME), exactly as `toot login` would have stored it.

`hamid` is the account acted on; each test undoes what it did, so the other contract modules
see the accounts as they were.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from mastodon import Mastodon

from tests.contract.conftest import (
    ContractServer,
    RegisteredApp,
    local_session,
    signed_in_client,
)

pytestmark = pytest.mark.contract
TOOT_TIMEOUT_SECONDS = 60
TOOT = Path(sys.executable).with_name("toot")


class Toot:
    """Runs `toot ARGS` as `hana`, with her token in toot's configuration file."""

    def __init__(self, config_home: Path) -> None:
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key.lower() not in {"http_proxy", "https_proxy", "all_proxy"}
        }
        self.env |= {"XDG_CONFIG_HOME": str(config_home), "NO_PROXY": "127.0.0.1,localhost"}

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 (our own arguments, never a shell)
            [str(TOOT), "--no-color", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=TOOT_TIMEOUT_SECONDS,
            check=False,
        )

    def ok(self, *args: str) -> str:
        done = self.run(*args)
        assert done.returncode == 0, f"toot {' '.join(args)}: {done.stdout}\n{done.stderr}"
        return done.stdout

    def json(self, *args: str) -> Any:
        return json.loads(self.ok(*args, "--json"))


@pytest.fixture(scope="module")
def hana_toot(
    contract_server: ContractServer,
    contract_app: RegisteredApp,
    tmp_path_factory: pytest.TempPathFactory,
) -> Toot:
    api = signed_in_client(
        contract_server, contract_app, "hana", scopes=["read", "write", "follow"]
    )
    instance = urlsplit(contract_server.base_url).netloc
    config_home = tmp_path_factory.mktemp("toot-config")
    (config_home / "toot").mkdir()
    user_id = f"hana@{instance}"
    config = {
        "apps": {
            instance: {
                "instance": instance,
                "base_url": contract_server.base_url,
                "client_id": contract_app.client_id,
                "client_secret": contract_app.client_secret,
            }
        },
        "users": {
            user_id: {"instance": instance, "username": "hana", "access_token": api.access_token}
        },
        "active_user": user_id,
    }
    (config_home / "toot" / "config.json").write_text(json.dumps(config))
    return Toot(config_home)


def _relationship(hana: Mastodon, handle: str) -> Any:
    account = hana.account_lookup(handle)
    return hana.account_relationships([account["id"]])[0]


def test_toot_whois_finds_an_account_by_handle(hana_toot: Toot) -> None:
    for spelling in ("hamid", "@hamid", "HAMID"):
        account = hana_toot.json("whois", spelling)
        assert account["acct"] == "hamid", spelling
        assert account["username"] == "hamid"


def test_toot_whois_of_nobody_says_not_found(hana_toot: Toot) -> None:
    done = hana_toot.run("whois", "nobody_here_at_all")
    assert done.returncode != 0
    assert "Account not found" in done.stderr + done.stdout


def test_toot_follow_and_unfollow(hana_toot: Toot, hana: Mastodon) -> None:
    try:
        hana_toot.ok("follow", "hamid")
        assert _relationship(hana, "hamid")["following"] is True
        hana_toot.ok("unfollow", "hamid")
        assert _relationship(hana, "hamid")["following"] is False
    finally:
        hana.account_unfollow(hana.account_lookup("hamid")["id"])


def test_toot_mute_and_unmute(hana_toot: Toot, hana: Mastodon) -> None:
    try:
        hana_toot.ok("mute", "hamid")
        assert _relationship(hana, "hamid")["muting"] is True
        assert "hamid" in hana_toot.ok("muted")
        hana_toot.ok("unmute", "hamid")
        assert _relationship(hana, "hamid")["muting"] is False
    finally:
        hana.account_unmute(hana.account_lookup("hamid")["id"])


def test_toot_search_finds_people_posts_and_hashtags(hana_toot: Toot, hana: Mastodon) -> None:
    post = hana.status_post("Trying inquiry ratios with my #TootTesting class", visibility="public")
    try:
        results = hana_toot.json("search", "inquiry ratios")
        assert post["id"] in {status["id"] for status in results["statuses"]}
        people = hana_toot.json("search", "hamid", "--type", "accounts")
        assert [account["acct"] for account in people["accounts"]] == ["hamid"]
        assert people["statuses"] == []
        assert people["hashtags"] == []
        tags = hana_toot.json("search", "#toottesting", "--type", "hashtags")
        assert "toottesting" in {tag["name"].lower() for tag in tags["hashtags"]}
    finally:
        hana.status_delete(post["id"])


def test_toot_follows_and_unfollows_a_hashtag(hana_toot: Toot, hana: Mastodon) -> None:
    try:
        hana_toot.ok("tags", "follow", "#EdChat")
        followed = hana_toot.json("tags", "followed")
        assert "edchat" in {tag["name"].lower() for tag in followed}
        info = hana_toot.json("tags", "info", "edchat")
        assert info["following"] is True
        hana_toot.ok("tags", "unfollow", "edchat")
        assert hana_toot.json("tags", "followed") == []
    finally:
        hana.tag_unfollow("edchat")


def test_toot_login_cli_signs_in_with_the_password_grant(
    contract_server: ContractServer, tmp_path: Path
) -> None:
    """`toot login_cli` registers its own app and signs in with e-mail and password."""
    account = contract_server.account("hana")
    toot = Toot(tmp_path)
    done = toot.run(
        "login_cli",
        "--instance", contract_server.base_url,
        "--email", account.email,
        "--password", account.password,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Successfully logged in" in done.stdout
    assert "@hana" in toot.ok("whoami")


def test_toot_login_cli_with_a_wrong_password_fails(
    contract_server: ContractServer, tmp_path: Path
) -> None:
    account = contract_server.account("hamid")
    done = Toot(tmp_path).run(
        "login_cli",
        "--instance", contract_server.base_url,
        "--email", account.email,
        "--password", "not the password",
    )  # fmt: skip
    assert done.returncode != 0
    assert "Login failed" in done.stdout + done.stderr


# --- `hedy` signs in with toot's own password grant and uses it as her everyday app ----------

WAIT_SECONDS = 60.0  # fan-out and notifications are jobs; a busy CI machine is slow


def _eventually(read: Callable[[], Any], found: Callable[[Any], bool], what: str) -> Any:
    """Reads until `found` (fan-out and notifications are background jobs, as on Mastodon)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        value = read()
        if found(value):
            return value
        assert time.monotonic() < deadline, f"{what}: not there after {WAIT_SECONDS} s: {value}"
        time.sleep(0.2)


@pytest.fixture(scope="module")
def hedy_toot(contract_server: ContractServer, tmp_path_factory: pytest.TempPathFactory) -> Toot:
    account = contract_server.account("hedy")
    toot = Toot(tmp_path_factory.mktemp("toot-hedy"))
    toot.ok(
        "login_cli",
        "--instance", contract_server.base_url,
        "--email", account.email,
        "--password", account.password,
    )  # fmt: skip
    return toot


def test_toot_posts_reads_home_and_thread_favourites_bookmarks_and_deletes(
    hedy_toot: Toot,
) -> None:
    posted = hedy_toot.json("post", "Exit tickets, three questions, every lesson #toottalk")
    status_id = str(posted["id"])
    home = _eventually(
        lambda: hedy_toot.json("timelines", "home", "--no-pager", "--limit", "5"),
        lambda statuses: any(str(s["id"]) == status_id for s in statuses),
        "the post in hedy's home timeline",
    )
    assert home[0]["content"]
    assert hedy_toot.json("favourite", status_id)["favourited"] is True
    assert hedy_toot.json("bookmark", status_id)["bookmarked"] is True
    assert "Exit tickets" in hedy_toot.ok("bookmarks", "--once")
    thread = hedy_toot.json("thread", status_id)
    assert thread["ancestors"] == []
    hedy_toot.ok("delete", status_id)
    assert hedy_toot.run("status", status_id).returncode != 0


def test_toot_notifications_show_a_mention(
    hedy_toot: Toot, contract_server: ContractServer, contract_app: RegisteredApp
) -> None:
    heidi = signed_in_client(contract_server, contract_app, "heidi")
    mention = heidi.status_post("@hedy could you share your exit tickets?")
    try:
        notifications = _eventually(
            lambda: hedy_toot.json("notifications", "--mentions"),
            lambda found: any(
                n["type"] == "mention" and str(n["status"]["id"]) == str(mention["id"])
                for n in found
            ),
            "the mention in hedy's notifications",
        )
        assert notifications[0]["account"]["acct"] == "heidi"
    finally:
        heidi.status_delete(mention["id"])


def test_toot_keeps_a_list_of_people_hedy_follows(hedy_toot: Toot) -> None:
    hedy_toot.ok("follow", "hamid")
    try:
        hedy_toot.ok("lists", "create", "Science department")
        hedy_toot.ok("lists", "add", "Science department", "hamid")
        assert "hamid" in hedy_toot.ok("lists", "accounts", "Science department")
        assert "Science department" in hedy_toot.ok("lists", "list")
        hedy_toot.ok("lists", "remove", "Science department", "hamid")
        hedy_toot.ok("lists", "delete", "Science department")
        assert "Science department" not in hedy_toot.ok("lists", "list")
    finally:
        hedy_toot.ok("unfollow", "hamid")


def test_toot_asks_a_poll_and_shows_it(hedy_toot: Toot) -> None:
    posted = hedy_toot.json(
        "post", "Which exit ticket format?",
        "--poll-option", "Three questions", "--poll-option", "One word",
        "--poll-expires-in", "1h",
    )  # fmt: skip
    try:
        poll = posted["poll"]
        assert [option["title"] for option in poll["options"]] == ["Three questions", "One word"]
        shown = hedy_toot.ok("polls", "show", str(poll["id"]))
        assert "Three questions" in shown
        assert "One word" in shown
    finally:
        hedy_toot.ok("delete", str(posted["id"]))


def test_toot_schedules_a_post(hedy_toot: Toot, contract_server: ContractServer) -> None:
    done = hedy_toot.run("post", "Parents' evening tomorrow", "--scheduled-in", "2h", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    scheduled = json.loads(done.stdout)
    assert scheduled["params"]["text"] == "Parents' evening tomorrow"
    assert "scheduled_at" in scheduled
    session = local_session()
    session.headers["Authorization"] = f"Bearer {_token_of(hedy_toot)}"
    url = f"{contract_server.base_url}/api/v1/scheduled_statuses/{scheduled['id']}"
    assert session.delete(url, timeout=30).status_code == 200


def _token_of(toot: Toot) -> str:
    config = json.loads((Path(toot.env["XDG_CONFIG_HOME"]) / "toot" / "config.json").read_text())
    return str(config["users"][config["active_user"]]["access_token"])
