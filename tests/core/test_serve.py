import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from staffroom.core.management.commands.serve import child_processes


def _names(children) -> list[str]:
    return [child.name for child in children]


@override_settings(STAFFROOM_TASK_BACKEND="database", STAFFROOM_TRUSTED_PROXIES=[])
def test_child_processes_with_database_backend_run_web_worker_and_scheduler():
    children = child_processes(host="127.0.0.1", port=8123, workers=2)
    assert _names(children) == ["web-1", "web-2", "worker", "scheduler"]
    web, other_web, worker, scheduler = (child.argv for child in children)
    assert web == other_web
    assert web[:3] == [sys.executable, "-m", "staffroom.core.uvicorn_main"]
    assert web[web.index("--port") + 1] == "8123"
    assert "--no-proxy-headers" in web
    assert "--forwarded-allow-ips" not in web
    assert worker[:4] == [sys.executable, "-m", "staffroom.cli", "db_worker"]
    assert "--no-reload" in worker
    assert scheduler[-1] == "scheduler"


@override_settings(STAFFROOM_TASK_BACKEND="rq", STAFFROOM_TRUSTED_PROXIES=["10.0.0.1", "10.0.0.2"])
def test_child_processes_with_rq_leave_the_worker_out_and_trust_only_listed_proxies():
    children = child_processes(host="127.0.0.1", port=8000, workers=1)
    assert _names(children) == ["web-1", "scheduler"]
    web = children[0].argv
    assert web[web.index("--forwarded-allow-ips") + 1] == "10.0.0.1,10.0.0.2"


# --- End to end: a real `staffroom serve` on 127.0.0.1 ------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _children_of(pid: int) -> dict[int, str]:
    """Live child processes of `pid` and their command lines, read from /proc."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found[int(entry.name)] = cmdline
    return found


def _is_alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_for(condition, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.25)
    pytest.fail(f"timed out waiting for {what}")


def _health(port: int) -> dict[str, Any] | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return json.loads(response.read()) if response.status == 200 else None
    except (OSError, urllib.error.URLError, ValueError):
        return None


def _worker_pid(serve_pid: int) -> int | None:
    workers = [pid for pid, cmd in _children_of(serve_pid).items() if " db_worker" in cmd]
    return workers[0] if workers else None


@pytest.fixture
def serve_env(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "STAFFROOM_TASK_BACKEND", "PORT"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="staffroom.config.settings.base",
        STAFFROOM_DATA_DIR=str(tmp_path / "data"),
        STAFFROOM_ENV="local",
    )
    migrate = [sys.executable, "-m", "staffroom.cli", "migrate", "--noinput", "-v", "0"]
    subprocess.run(migrate, env=env, check=True, timeout=120)  # noqa: S603
    return env


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.timeout(180)
def test_serve_runs_supervises_and_stops_cleanly(serve_env, tmp_path):
    port = _free_port()
    command = [sys.executable, "-m", "staffroom.cli", "serve", "--port", str(port)]
    log = (tmp_path / "serve.log").open("wb")
    serve = subprocess.Popen(command, env=serve_env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        # The worker heartbeat is fresh only once the scheduler enqueued its job and the
        # worker ran it: the whole chain works.
        _wait_for(
            lambda: (_health(port) or {}).get("degraded") is False,
            timeout=60,
            what="/healthz with a live worker and scheduler",
        )
        children = _children_of(serve.pid)
        assert len(children) == 3
        first_worker = _worker_pid(serve.pid)
        assert first_worker is not None
        os.kill(first_worker, signal.SIGKILL)
        second_worker = _wait_for(
            lambda: (pid := _worker_pid(serve.pid)) != first_worker and pid,
            timeout=30,
            what="the worker to be restarted",
        )
        children.update(_children_of(serve.pid))
        assert _health(port) is not None

        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=15) == 0
        assert [pid for pid in [*children, second_worker] if _is_alive(pid)] == []
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()
        log.close()
    output = (tmp_path / "serve.log").read_text()
    assert "worker exited unexpectedly" in output
