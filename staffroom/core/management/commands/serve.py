"""`staffroom serve`: the web server, the task worker and the scheduler, supervised.

Children (each started with this Python, in its own process group):
- web-1 ... web-N (`--workers N`): each one uvicorn worker running staffroom.config.asgi
  on its own socket bound to `--host`/`--port` with SO_REUSEPORT, so the kernel spreads
  connections over them (staffroom/core/uvicorn_main.py); proxy headers are believed only
  from STAFFROOM_TRUSTED_PROXIES, and not at all when it is empty;
- worker: `staffroom db_worker` with the database task backend. With RQ the worker is not
  started here: run `staffroom rqworker --with-scheduler default` (as many as you like);
- scheduler: `staffroom scheduler`.

A child that dies unexpectedly is restarted after a backoff (1 s, doubling to 30 s; reset
once it has run for a minute). SIGTERM or SIGINT is passed on to every child; children still
running after STOP_TIMEOUT_SECONDS are killed, and serve exits 0.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import time
from argparse import ArgumentParser
from dataclasses import dataclass
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from staffroom.core.ids import ascii_digits
from staffroom.core.uvicorn_main import port_is_free

logger = logging.getLogger("staffroom.serve")

STOP_TIMEOUT_SECONDS = 10.0
POLL_SECONDS = 0.2
BACKOFF_MAX_SECONDS = 30.0
STABLE_AFTER_SECONDS = 60.0
# How often the database task worker looks for a new job when it has none: a new post's
# fan-out waits for it before open streaming connections see the post, so it is short (one
# indexed query per interval, whatever the number of connections).
WORKER_POLL = "0.2"


@dataclass
class Child:
    """One supervised process: how to start it and what became of it."""

    name: str
    argv: list[str]
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    failures: int = 0
    restart_at: float | None = None


class Supervisor:
    """Starts the children, restarts the ones that die, and stops them all on a signal."""

    def __init__(self, children: list[Child], *, env: dict[str, str]) -> None:
        self.children = children
        self.env = env
        self.stop_signal: int | None = None

    def run(self) -> None:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._on_signal)
        for child in self.children:
            self._start(child)
        while self.stop_signal is None:
            self._check_children()
            time.sleep(POLL_SECONDS)
        self._stop_all(self.stop_signal)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self.stop_signal is None:
            logger.info("Received %s, stopping", signal.Signals(signum).name)
            self.stop_signal = signum

    def _start(self, child: Child) -> None:
        child.process = subprocess.Popen(child.argv, env=self.env, process_group=0)  # noqa: S603 - our own argv
        child.started_at = time.monotonic()
        child.restart_at = None
        logger.info("Started %s (pid %s)", child.name, child.process.pid)

    def _check_children(self) -> None:
        now = time.monotonic()
        for child in self.children:
            if child.process is not None and child.process.poll() is not None:
                self._schedule_restart(child, now=now)
            elif child.restart_at is not None and now >= child.restart_at:
                self._start(child)

    def _schedule_restart(self, child: Child, *, now: float) -> None:
        assert child.process is not None  # noqa: S101 - the caller checked
        code = child.process.returncode
        _signal_group(child.process.pid, signal.SIGKILL)  # leftovers in its group
        child.process = None
        ran_for = now - child.started_at
        child.failures = 1 if ran_for >= STABLE_AFTER_SECONDS else child.failures + 1
        delay = min(BACKOFF_MAX_SECONDS, 2.0 ** (child.failures - 1))
        child.restart_at = now + delay
        logger.error(
            "%s exited unexpectedly (code %s) after %.1fs; restarting in %.0fs",
            child.name, code, ran_for, delay,
        )  # fmt: skip

    def _stop_all(self, signum: int) -> None:
        running = [child for child in self.children if child.process is not None]
        for child in running:
            assert child.process is not None  # noqa: S101 - filtered above
            _signal_group(child.process.pid, signum)
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        for child in running:
            assert child.process is not None  # noqa: S101 - filtered above
            try:
                child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                logger.warning("%s did not stop in time; killing it", child.name)
            _signal_group(child.process.pid, signal.SIGKILL)
            child.process.wait()
        logger.info("Stopped")


def _signal_group(pid: int, signum: int) -> None:
    """Signal the child's whole process group (it leads one); gone already is fine."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signum)


def child_processes(*, host: str, port: int, workers: int) -> list[Child]:
    """The children `serve` runs with the current settings."""
    python = sys.executable
    web = [
        python, "-m", "staffroom.core.uvicorn_main", "staffroom.config.asgi:application",
        "--host", host, "--port", str(port), "--lifespan", "off",
    ]  # fmt: skip
    proxies = settings.STAFFROOM_TRUSTED_PROXIES
    if proxies:
        web += ["--proxy-headers", "--forwarded-allow-ips", ",".join(proxies)]
    else:
        web += ["--no-proxy-headers"]
    children = [Child(f"web-{number}", list(web)) for number in range(1, workers + 1)]
    if settings.STAFFROOM_TASK_BACKEND == "rq":
        logger.info("RQ task backend: run `staffroom rqworker --with-scheduler default` too")
    else:
        worker = ["db_worker", "--no-reload", "--queue-name", "default", "--interval", WORKER_POLL]
        children.append(Child("worker", [python, "-m", "staffroom.cli", *worker]))
    children.append(Child("scheduler", [python, "-m", "staffroom.cli", "scheduler"]))
    return children


def _port_from_env() -> int:
    raw = os.environ.get("PORT", "").strip()
    return int(raw) if ascii_digits(raw) else 8000


class Command(BaseCommand):
    help = "Serve Staffroom: web server, task worker and scheduler, supervised."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        parser.add_argument(
            "--port", type=int, default=_port_from_env(), help="Port (default: $PORT or 8000)."
        )
        parser.add_argument(
            "--workers", type=int, default=1, help="Web worker processes (one per core)."
        )

    def handle(self, *args: Any, host: str, port: int, workers: int, **options: Any) -> None:
        if not 0 < port < 65536 or workers < 1:
            raise CommandError("--port must be 1-65535 and --workers at least 1.")
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE,
            "PYTHONUNBUFFERED": "1",
        }
        if not port_is_free(host, port):
            raise CommandError(f"Something already listens on {host}:{port}.")
        logger.info("Serving on http://%s:%s", host, port)
        Supervisor(child_processes(host=host, port=port, workers=workers), env=env).run()
