"""Browser test harness: Debian's headless Chromium driven by Playwright, checked with axe-core.

Run `make test-deps` once (it installs /usr/bin/chromium and axe-core); never
`playwright install`, which downloads a browser. Set STAFFROOM_SKIP_BROWSER=1 to skip these
tests on purpose; without it, a missing browser or axe-core fails them.

Playwright's sync API keeps an asyncio loop running in the main thread while it is started.
Django refuses ORM calls from such a thread (and `async_to_sync` refuses to run in it), so:
the browser is shared by the session but started on first use, DJANGO_ALLOW_ASYNC_UNSAFE is
set only while it runs, and it is stopped as soon as the next test is not a browser test, so
the loop never leaks into the rest of the suite.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.servers.basehttp import ThreadedWSGIServer
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from staffroom.accounts.models import User

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / ".cache" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
MOBILE_VIEWPORT = {"width": 375, "height": 812}
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


def _missing_tools() -> list[str]:
    missing = []
    if not os.access(CHROMIUM, os.X_OK):
        missing.append(f"Chromium ({CHROMIUM})")
    if not AXE.is_file():
        missing.append(f"axe-core ({AXE.relative_to(ROOT)})")
    return missing


class _Chromium:
    """One headless Chromium, started on first use and stopped between runs of browser tests."""

    def __init__(self) -> None:
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._saved_env: str | None = None

    def get(self) -> Browser:
        if self._browser is not None:
            return self._browser
        missing = _missing_tools()
        if missing:
            pytest.fail(
                f"The browser tests need {' and '.join(missing)}. Run `make test-deps` "
                "(never `playwright install`), or set STAFFROOM_SKIP_BROWSER=1 to skip them.",
                pytrace=False,
            )
        # ORM calls in the test thread happen while Playwright's event loop is running.
        self._saved_env = os.environ.get(ASYNC_UNSAFE)
        os.environ[ASYNC_UNSAFE] = "true"
        try:
            self._playwright = playwright = sync_playwright().start()
            self._browser = browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
        except Exception:
            self.stop()
            raise
        return browser

    def stop(self) -> None:
        browser, playwright = self._browser, self._playwright
        self._browser = self._playwright = None
        try:
            if browser is not None:
                browser.close()
        finally:
            if playwright is not None:
                playwright.stop()
            if self._saved_env is None:
                os.environ.pop(ASYNC_UNSAFE, None)
            else:
                os.environ[ASYNC_UNSAFE] = self._saved_env
            self._saved_env = None


_chromium = _Chromium()


class _ConnectionThreads:
    """Counts the live server's connection threads, so a test's teardown can wait them out.

    With in-memory SQLite the live server's threads share the test's database connection.
    A request still running when the test ends (an htmx poll fired on the last page load)
    would hold a statement open on a table while the teardown flush deletes from it, and
    SQLite answers "database table is locked". Closing the browser context closes its
    connections; waiting for their threads to end means nothing reads while the flush runs.
    """

    def __init__(self) -> None:
        self._count = 0
        self._changed = threading.Condition()
        self._original = ThreadedWSGIServer.process_request_thread

    def install(self) -> None:
        original = self._original
        tracker = self

        def process_request_thread(server, request, client_address):
            with tracker._changed:
                tracker._count += 1
            try:
                original(server, request, client_address)
            finally:
                with tracker._changed:
                    tracker._count -= 1
                    tracker._changed.notify_all()

        ThreadedWSGIServer.process_request_thread = process_request_thread  # type: ignore[method-assign]

    def wait_idle(self, timeout: float = 10.0) -> None:
        """Return once no connection thread has run for a short settle time (or on timeout)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._changed:
                self._changed.wait_for(
                    lambda: self._count == 0, timeout=max(0.0, deadline - time.monotonic())
                )
            # A connection the browser opened just before closing may not be accepted yet.
            time.sleep(0.05)
            with self._changed:
                if self._count == 0:
                    return


_connection_threads = _ConnectionThreads()
_connection_threads.install()


@pytest.fixture(autouse=True)
def _live_server_idle_before_flush(request: pytest.FixtureRequest) -> Iterator[None]:
    """After a browser test's pages close, wait for the live server's requests to end.

    Autouse, so it is set up before `page` (torn down after the browser context closes) and
    after pytest-django's live-server database fixture (torn down before the flush).
    """
    yield
    if "live_server" in request.fixturenames:
        _connection_threads.wait_idle()


_call_failed = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(
    item: pytest.Item, nextitem: pytest.Item | None
) -> Generator[None, None, None]:
    try:
        return (yield)
    finally:
        if nextitem is None or "browser" not in getattr(nextitem, "fixturenames", ()):
            _chromium.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.when == "call":
        item.stash[_call_failed] = report.failed
    return report


@pytest.fixture
def browser() -> Browser:
    """The session's headless Chromium (a playwright.sync_api.Browser)."""
    if os.environ.get("STAFFROOM_SKIP_BROWSER") == "1":
        pytest.skip("STAFFROOM_SKIP_BROWSER=1: browser tests skipped on request")
    return _chromium.get()


def _new_context(browser: Browser, base_url: str, **options: Any) -> BrowserContext:
    context = browser.new_context(base_url=base_url, locale="en-US", **options)
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def page(browser, live_server, request) -> Iterator[Page]:
    """A fresh page in its own browser context (no shared cookies) aimed at live_server."""
    context = _new_context(browser, live_server.url)
    new_page = context.new_page()
    yield new_page
    if request.node.stash.get(_call_failed, False):
        screenshot(new_page, f"failed-{_safe_name(request.node.name)}")
    context.close()


@pytest.fixture
def mobile_page(browser, live_server) -> Iterator[Page]:
    """A fresh page 375 pixels wide, like a small phone."""
    context = _new_context(
        browser, live_server.url, viewport=MOBILE_VIEWPORT, is_mobile=True, has_touch=True
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def sign_in(page: Page, client, live_server):
    """Give the page's browser context a session for a user, without going through the form."""

    def sign_in_as(user: User) -> Page:
        client.force_login(user, backend="staffroom.accounts.backends.EmailOrHandleBackend")
        name = settings.SESSION_COOKIE_NAME
        value = client.cookies[name].value
        page.context.add_cookies([{"name": name, "value": value, "url": live_server.url}])
        return page

    return sign_in_as


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page PNG to test-artifacts/screenshots/<name>.png (git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{_safe_name(name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


_AXE_RUN = """
async (tags) => {
  const results = await window.axe.run(document, {runOnly: {type: "tag", values: tags}});
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => n.target.join(" ")),
  }));
}
"""


def check_accessibility(page: Page, name: str) -> list[dict[str, Any]]:
    """Run axe (WCAG 2.1 A and AA) on the page; fail on any serious or critical violation.

    axe is evaluated through the DevTools protocol rather than a <script> tag, so the site's
    strict CSP (script-src 'self') stays on in the test browser. Returns every violation,
    including minor and moderate ones, for callers that want to look.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    violations: list[dict[str, Any]] = page.evaluate(_AXE_RUN, AXE_TAGS)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        lines = [
            f"- {v['id']} ({v['impact']}): {v['help']}\n    on: {', '.join(v['nodes'])}"
            for v in blocking
        ]
        pytest.fail(
            f"axe found {len(blocking)} serious/critical accessibility violation(s) on "
            f"{name} ({page.url}):\n" + "\n".join(lines),
            pytrace=False,
        )
    return violations
