"""Running a processor in a child process with a memory, CPU and time ceiling.

Why a child (docs/subsystems/media.md): decoding a hostile file is where media servers get
hurt (pixel floods that need gigabytes, CVE-2023-36460 in Mastodon's media pipeline, FFmpeg's
own CVEs). Here the worst a file can do is make this child fail: its address space is capped
(allocations fail, the OOM killer is never woken for a web or job worker), its CPU time is
capped, the parent kills it at the wall-clock deadline, and nothing the upload says reaches a
command line (the child gets a kind word and two paths the server made).
"""

from __future__ import annotations

import json
import logging
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
    command = [sys.executable, "-m", "staffroom.media.processing", str(kind), str(source)]
    command.append(str(out_dir))
    try:
        finished = subprocess.run(  # noqa: S603  (our interpreter, our paths, no shell)
            command,
            input=json.dumps(settings),
            capture_output=True,
            text=True,
            timeout=sandbox.wall_seconds,
            check=False,
            cwd=out_dir,
        )
    except subprocess.TimeoutExpired as error:
        raise MediaRejected(RejectionCode.TOO_COMPLEX, "wall-clock deadline") from error
    answer = _answer(finished.stdout)
    if finished.returncode != 0 or answer is None:
        logger.warning(
            "media processing child failed (exit %s): %s",
            finished.returncode,
            finished.stderr[-2000:],
        )
        raise MediaRejected(RejectionCode.TOO_COMPLEX, f"exit {finished.returncode}")
    if "rejected" in answer:
        raise MediaRejected(RejectionCode(answer["rejected"]), answer.get("detail", ""))
    return ProcessedMedia.from_dict(answer["processed"])


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
