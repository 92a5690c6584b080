"""Running a processor in a child process with a memory, CPU and time ceiling.

Why a child (docs/subsystems/media.md): decoding a hostile file is where media servers get
hurt (pixel floods that need gigabytes, CVE-2023-36460 in Mastodon's media pipeline, FFmpeg's
own CVEs). Here the worst a file can do is make this child fail: its address space is capped
(allocations fail, the OOM killer is never woken for a web or job worker), its CPU time is
capped, the parent kills it at the wall-clock deadline, nothing the upload says reaches a
command line (the child gets a kind word and two paths the server made), and the child
inherits none of the server's secrets from the environment.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from staffroom.media.processing.types import (
    MediaKind,
    MediaRejected,
    ProcessedMedia,
    ProcessingLimits,
    RejectionCode,
)

logger = logging.getLogger(__name__)
# The folder holding the `staffroom` package, and the variables a child may inherit.
_PACKAGE_ROOT = Path(__file__).resolve().parents[2]
_PASSED_ON = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "LD_LIBRARY_PATH", "TZ")


@dataclass(frozen=True)
class SandboxLimits:
    memory_bytes: int = 1024 * 1024 * 1024
    cpu_seconds: int = 60
    wall_seconds: float = 120.0


def run_sandboxed(
    kind: MediaKind,
    source: Path,
    out_dir: Path,
    limits: ProcessingLimits,
    sandbox: SandboxLimits,
) -> ProcessedMedia:
    """`processing.process` in a child process; raises MediaRejected for a refusal and for a
    child that ran out of memory, CPU or time, or died (`media_too_complex`)."""
    settings = {
        "limits": limits.as_dict(),
        "memory_bytes": sandbox.memory_bytes,
        "cpu_seconds": sandbox.cpu_seconds,
    }
    # -P: the working folder (out_dir) is not put on the child's import path.
    command = [sys.executable, "-P", "-m", "staffroom.media.processing", str(kind)]
    command += [str(source), str(out_dir)]
    try:
        finished = subprocess.run(  # noqa: S603  (our interpreter, our paths, no shell)
            command,
            input=json.dumps(settings),
            capture_output=True,
            text=True,
            timeout=sandbox.wall_seconds,
            check=False,
            cwd=out_dir,
            env=_child_environment(),
        )
    except subprocess.TimeoutExpired as error:
        raise MediaRejected(RejectionCode.TOO_COMPLEX, "wall-clock deadline") from error
    answer = _answer(finished.stdout)
    if finished.returncode != 0 or answer is None or not {"rejected", "processed"} & set(answer):
        logger.warning(
            "media processing child failed (exit %s): %s",
            finished.returncode,
            finished.stderr[-2000:],
        )
        raise MediaRejected(RejectionCode.TOO_COMPLEX, f"exit {finished.returncode}")
    if "rejected" in answer:
        raise MediaRejected(_code(answer["rejected"]), str(answer.get("detail", "")))
    return ProcessedMedia.from_dict(answer["processed"])


def _child_environment() -> dict[str, str]:
    """What the child needs and no more: no database URL, secret key or storage keys for a
    process that parses hostile files. PYTHONPATH names the folder this `staffroom` was
    imported from, so the child runs the same code as its parent (a source checkout as much
    as an installed package)."""
    environment = {name: os.environ[name] for name in _PASSED_ON if name in os.environ}
    paths = [str(_PACKAGE_ROOT), os.environ.get("PYTHONPATH", "")]
    environment["PYTHONPATH"] = os.pathsep.join(path for path in paths if path)
    environment["OMP_NUM_THREADS"] = "1"  # numpy's BLAS threads each reserve memory
    return environment


def _answer(stdout: str) -> dict[str, Any] | None:
    """The child's last stdout line as JSON (a codec may print before it)."""
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    if not lines:
        return None
    try:
        value = json.loads(lines[-1])
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _code(value: object) -> RejectionCode:
    """The child's refusal code; one this parent does not know counts as too complex."""
    try:
        return RejectionCode(str(value))
    except ValueError:
        return RejectionCode.TOO_COMPLEX
