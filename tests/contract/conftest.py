"""Contract harness: the real `staffroom serve`, driven by stock Mastodon.py 2.3.3.

Each pytest session (each xdist worker) gets one server: a temporary data folder, `staffroom
migrate` into it, a few verified accounts, then `staffroom serve` on a free 127.0.0.1 port.
With DATABASE_URL pointing at PostgreSQL the server gets a fresh database of its own (created
here, dropped at the end); otherwise it uses SQLite in the data folder. With REDIS_URL set the
server keeps it (Redis cache and RQ; nothing here needs a worker). All traffic stays on
127.0.0.1: every HTTP session here ignores proxy settings from the environment.

The server's rate limits are raised: with Redis their counters outlive the server, so a second
run within the window would otherwise be refused. Nothing here tests the limits themselves.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import dj_database_url
import psycopg
import pytest
import requests
from mastodon import Mastodon
from psycopg import sql

CONTRACT_MARKER = "contract: drives a real `staffroom serve` with stock Mastodon.py"
STARTUP_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 20.0
COMMAND_TIMEOUT_SECONDS = 180.0
HTTP_TIMEOUT_SECONDS = 30.0
OOB = "urn:ietf:wg:oauth:2.0:oob"
SCOPES = ["read", "write", "follow", "push"]  # Mastodon.py's default set

# The server must not inherit settings from the developer's shell that change what it does.
_SERVER_ENV_DROPPED = (
    "DATABASE_URL",
    "REDIS_URL",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "STAFFROOM_TRUSTED_PROXIES",
    "STAFFROOM_SCHEME",
    "STAFFROOM_TASK_BACKEND",
    "STAFFROOM_REGISTRATION_MODE",
    "DEBUG",
)


@dataclass(frozen=True)
class Account:
    handle: str
    email: str
    password: str


@dataclass(frozen=True)
class ContractServer:
    base_url: str
    accounts: dict[str, Account]
    log_path: Path
    database_vendor: str  # "postgresql" (a fresh database made here) or "sqlite"
    # The server's environment, so a module can run `staffroom` commands on its data (kept
    # out of the repr: it copies the shell's environment into failure reports otherwise).
    env: dict[str, str] = field(default_factory=dict, repr=False)

    def account(self, handle: str) -> Account:
        return self.accounts[handle]


def run_on_server(server: ContractServer, args: list[str], **env: str) -> None:
    """Run `staffroom ARGS` against the server's own database (its output goes to the
    server log; a failure fails the test). For data a module needs beyond ACCOUNTS."""
    _run_staffroom(args, env={**server.env, **env}, log_path=server.log_path)


# The accounts every contract session starts with. `hana` reads, `hamid` is looked up and
# searched for, `heidi` has her profile edited, `hugo` changes his posting defaults, `hilde`
# signs in with masto.js, `hedy` with the toot CLI.
ACCOUNTS = {
    handle: Account(handle=handle, email=f"{handle}@example.org", password=f"contract-{handle}-pw")
    for handle in ("hana", "hamid", "heidi", "hugo", "hilde", "hedy")
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", CONTRACT_MARKER)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """A failing test against a live server shows the end of that server's log beside its
    own traceback: a 500's cause is only there (CI keeps nothing else)."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    server = getattr(item, "funcargs", {}).get("contract_server")
    if report.failed and isinstance(server, ContractServer):
        report.sections.append(("Captured server log (last lines)", _log_tail(server.log_path)))


# --- HTTP on 127.0.0.1 only --------------------------------------------------------------


def local_session() -> requests.Session:
    """A requests session that never goes through a proxy named in the environment."""
    session = requests.Session()
    session.trust_env = False
    return session


# --- The server's database ----------------------------------------------------------------


def _postgres_admin_connect(config: dict[str, Any]) -> psycopg.Connection[Any]:
    params: dict[str, Any] = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    last_error: Exception | None = None
    # The URL's own database may not exist yet (pytest-django uses test_<name>).
    for dbname in ("postgres", str(config.get("NAME") or "")):
        if not dbname:
            continue
        try:
            return psycopg.connect(dbname=dbname, autocommit=True, connect_timeout=10, **params)
        except psycopg.OperationalError as error:
            last_error = error
    raise RuntimeError(f"cannot reach the PostgreSQL server of DATABASE_URL: {last_error}")


@contextlib.contextmanager
def _server_database_url() -> Iterator[str | None]:
    """A DATABASE_URL for the server: a fresh PostgreSQL database, or None for SQLite."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        yield None
        return
    config = dict(dj_database_url.parse(url))
    if config["ENGINE"] != "django.db.backends.postgresql":
        yield None
        return
    name = f"staffroom_contract_{os.getpid()}_{secrets.token_hex(4)}"
    with _postgres_admin_connect(config) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    finally:
        with _postgres_admin_connect(config) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


# --- Processes ----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _process_table() -> dict[int, tuple[int, str]]:
    """Every live process: pid -> (parent pid, command line), from /proc."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z":
            table[int(entry.name)] = (int(fields[1]), cmdline)
    return table


def _descendants(pid: int) -> dict[int, str]:
    table = _process_table()
    found: dict[int, str] = {}
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        for child, (ppid, cmdline) in table.items():
            if ppid == parent and child not in found:
                found[child] = cmdline
                frontier.append(child)
    return found


def _kill_leftovers(processes: dict[int, str]) -> None:
    """SIGKILL the processes (and their groups) still running with the same command line."""
    table = _process_table()
    for pid, cmdline in processes.items():
        if table.get(pid, (0, ""))[1] == cmdline:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)


def _log_tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _run_staffroom(args: list[str], *, env: dict[str, str], log_path: Path) -> None:
    with log_path.open("ab") as log:
        result = subprocess.run(  # noqa: S603 - our own argv
            [sys.executable, "-m", "staffroom.cli", *args],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=COMMAND_TIMEOUT_SECONDS,
            check=False,
        )
    if result.returncode != 0:
        pytest.fail(
            f"`staffroom {args[0]}` exited {result.returncode}:\n{_log_tail(log_path)}",
            pytrace=False,
        )


_CREATE_ACCOUNTS = """
import json, os
from staffroom.accounts.services import account_create
for account in json.loads(os.environ["CONTRACT_ACCOUNTS"]):
    account_create(verified=True, **account)
"""


def _server_env(*, data_dir: Path, port: int, database_url: str | None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in _SERVER_ENV_DROPPED}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "staffroom.config.settings.base",
            "STAFFROOM_ENV": "local",
            "STAFFROOM_DATA_DIR": str(data_dir),
            "STAFFROOM_DOMAIN": f"127.0.0.1:{port}",
            "STAFFROOM_APP_REGISTRATION_LIMIT": "10000",
            "STAFFROOM_API_RATE_LIMIT": "100000",
            "PYTHONUNBUFFERED": "1",
        }
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    redis_url = os.environ.get("REDIS_URL", "").strip()
    if database_url and redis_url:
        env["REDIS_URL"] = _redis_of_this_session(redis_url)
    return env


_SERVERS_STARTED = itertools.count()


def _redis_of_this_session(redis_url: str) -> str:
    """`redis_url` with a database number of this server's own.

    Each session starts its own server and RQ worker, and RQ's queue is named the same for
    all: on one Redis database one session's worker would take the other's wake-ups and find
    no such job in its own database, leaving the job to the sweep, long after a test gave up
    waiting for its notifications.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    # Several servers may run at once in one session too (the contract server lives all
    # session; the live-page tests start their own): each gets a database of its own, 7 per
    # worker out of Redis's 16 (worker 0: 1-7, worker 1: 8-14).
    number = 1 + int(worker.removeprefix("gw") or 0) * 7 + next(_SERVERS_STARTED) % 7
    parts = urlsplit(redis_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{number}", parts.query, parts.fragment))


def _wait_until_healthy(process: subprocess.Popen[bytes], base_url: str, log_path: Path) -> None:
    session = local_session()
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    last = "no answer"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"`staffroom serve` exited {process.returncode} before it was healthy:\n"
                f"{_log_tail(log_path)}",
                pytrace=False,
            )
        # Only our own uvicorn's health counts: another session may have raced for the port.
        if f"Uvicorn running on {base_url}" not in log_path.read_text(errors="replace"):
            time.sleep(0.2)
            continue
        try:
            response = session.get(f"{base_url}/healthz", timeout=2)
        except requests.RequestException as error:
            last = type(error).__name__
        else:
            if response.status_code == 200:
                return
            last = f"{response.status_code} {response.text[:200]}"
        time.sleep(0.2)
    pytest.fail(
        f"`staffroom serve` was not healthy within {STARTUP_TIMEOUT_SECONDS:.0f}s "
        f"(last: {last}):\n{_log_tail(log_path)}",
        pytrace=False,
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM serve (it stops its children), wait, then kill whatever is left."""
    if process.poll() is not None:
        return
    children = _descendants(process.pid)
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.kill()
        process.wait()
    _kill_leftovers(children)


@contextlib.contextmanager
def running_server(
    data_dir: Path, accounts: dict[str, Account] = ACCOUNTS
) -> Iterator[ContractServer]:
    """A real `staffroom serve` (the ASGI app, as deployed) on a free 127.0.0.1 port, with
    its data in `data_dir` and `accounts` verified; stopped on leaving. Also for tests
    beyond the contract ones that need what only the ASGI server does (streams)."""
    log_path = data_dir / "server.log"
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    with _server_database_url() as database_url:
        env = _server_env(data_dir=data_dir, port=port, database_url=database_url)
        _run_staffroom(["migrate", "--noinput"], env=env, log_path=log_path)
        to_create = [
            {"handle": a.handle, "email": a.email, "password": a.password}
            for a in accounts.values()
        ]
        _run_staffroom(
            ["shell", "-c", _CREATE_ACCOUNTS],
            env={**env, "CONTRACT_ACCOUNTS": json.dumps(to_create)},
            log_path=log_path,
        )
        serve = [
            sys.executable, "-m", "staffroom.cli", "serve",
            "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
        ]  # fmt: skip
        with log_path.open("ab") as log:
            process = subprocess.Popen(  # noqa: S603 - our own argv
                serve,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        # With Redis, jobs go to RQ, and `serve` leaves RQ workers to the operator (see
        # docs/subsystems/jobs.md): start two, as a deployment would, so one slow job (a
        # video, an export) from one module does not hold up another module's fan-out.
        workers: list[subprocess.Popen[bytes]] = []
        if env.get("REDIS_URL"):
            rq_worker = [sys.executable, "-m", "staffroom.cli", "rqworker"]
            for extra in (["--with-scheduler"], []):
                with log_path.open("ab") as log:
                    workers.append(
                        subprocess.Popen(  # noqa: S603 - our own argv
                            [*rq_worker, *extra, "default"],
                            env=env,
                            stdout=log,
                            stderr=subprocess.STDOUT,
                            start_new_session=True,
                        )
                    )
        try:
            _wait_until_healthy(process, base_url, log_path)
            yield ContractServer(
                base_url=base_url,
                accounts=dict(accounts),
                log_path=log_path,
                database_vendor="postgresql" if database_url else "sqlite",
                env=env,
            )
        finally:
            _stop(process)
            for worker in workers:
                _stop(worker)


@pytest.fixture(scope="session")
def contract_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ContractServer]:
    """One real `staffroom serve` for this pytest session (or xdist worker)."""
    with running_server(tmp_path_factory.mktemp("contract-data")) as server:
        yield server


# --- Signing in through the web pages -------------------------------------------------------


class _FormInputs(HTMLParser):
    """Collects the <input> elements of a page (attribute values come back unescaped)."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "input":
            self.inputs.append({name: value or "" for name, value in attrs})


def _inputs(html: str) -> list[dict[str, str]]:
    parser = _FormInputs()
    parser.feed(html)
    return parser.inputs


def _page_error(response: requests.Response, what: str) -> str:
    return f"{what}: {response.status_code} {response.url}\n{response.text[:3000]}"


def sign_in_and_authorize(base_url: str, handle: str, password: str, authorize_url: str) -> str:
    """Sign in through the web form, approve the consent page, return the out-of-band code."""
    session = local_session()
    login_url = f"{base_url}/accounts/login"
    page = session.get(login_url, timeout=HTTP_TIMEOUT_SECONDS)
    assert page.status_code == 200, _page_error(page, "sign-in page")
    csrf = next(
        (i["value"] for i in _inputs(page.text) if i.get("name") == "csrfmiddlewaretoken"), None
    )
    assert csrf, _page_error(page, "no CSRF token on the sign-in page")
    signed_in = session.post(
        login_url,
        data={"username": handle, "password": password, "csrfmiddlewaretoken": csrf},
        headers={"Referer": login_url},
        allow_redirects=False,
        timeout=HTTP_TIMEOUT_SECONDS,
    )
    assert signed_in.status_code == 302, _page_error(signed_in, "sign-in did not redirect")

    consent = session.get(authorize_url, timeout=HTTP_TIMEOUT_SECONDS)
    assert consent.status_code == 200, _page_error(consent, "consent page")
    form = {
        i["name"]: i.get("value", "")
        for i in _inputs(consent.text)
        if i.get("type") == "hidden" and i.get("name")
    }
    assert "client_id" in form, _page_error(consent, "consent page without its form")
    # The form has no action: it posts back to the page's own URL.
    answer = session.post(
        consent.url,
        data={**form, "allow": "Authorize"},
        headers={"Referer": consent.url},
        allow_redirects=False,
        timeout=HTTP_TIMEOUT_SECONDS,
    )
    assert answer.status_code == 200, _page_error(answer, "consent answer")
    code = next((i.get("value") for i in _inputs(answer.text) if i.get("id") == "oob-code"), None)
    assert code, _page_error(answer, "no out-of-band code")
    return code


# --- Mastodon.py clients ------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisteredApp:
    client_id: str
    client_secret: str


def register_app(
    base_url: str, *, name: str = "Contract", scopes: list[str] = SCOPES
) -> RegisteredApp:
    client_id, client_secret = Mastodon.create_app(
        name, api_base_url=base_url, scopes=scopes, session=local_session()
    )
    return RegisteredApp(client_id=client_id, client_secret=client_secret)


def new_client(base_url: str, app: RegisteredApp, *, access_token: str | None = None) -> Mastodon:
    return Mastodon(
        client_id=app.client_id,
        client_secret=app.client_secret,
        access_token=access_token,
        api_base_url=base_url,
        version_check_mode="created",
        ratelimit_method="throw",
        request_timeout=HTTP_TIMEOUT_SECONDS,
        session=local_session(),
    )


def signed_in_client(
    server: ContractServer, app: RegisteredApp, handle: str, *, scopes: list[str] = SCOPES
) -> Mastodon:
    """A Mastodon.py client holding a fresh token of `handle`'s, through the code flow."""
    api = new_client(server.base_url, app)
    url = api.auth_request_url(scopes=scopes, allow_http=True)
    account = server.account(handle)
    code = sign_in_and_authorize(server.base_url, account.handle, account.password, url)
    api.log_in(code=code, scopes=scopes, allow_http=True)
    return api


@pytest.fixture(scope="session")
def contract_app(contract_server: ContractServer) -> RegisteredApp:
    return register_app(contract_server.base_url)


@pytest.fixture(scope="session")
def hana(contract_server: ContractServer, contract_app: RegisteredApp) -> Mastodon:
    """`hana`'s client, with every scope; tests must not revoke or change her."""
    return signed_in_client(contract_server, contract_app, "hana")


def absolute(base_url: str, url: str) -> str:
    return urljoin(base_url + "/", url)


# --- Plain HTTP with a client's token (for the /api/v1/pln/ routes Mastodon.py lacks) ------------


def bearer_session(api: Mastodon) -> requests.Session:
    """A local requests session that sends `api`'s access token, as an app would."""
    session = local_session()
    session.headers["Authorization"] = f"Bearer {api.access_token}"
    return session
