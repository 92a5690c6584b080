"""The sandboxed child: `python -m staffroom.media.processing KIND SOURCE OUT_DIR`.

Reads `{"limits": {...}, "memory_bytes": N, "cpu_seconds": N}` as JSON on stdin, lowers its
own resource limits before touching the upload, runs `process` and writes one JSON object on
stdout: the ProcessedMedia, or `{"rejected": code}`. Any other outcome (killed by the memory
or CPU ceiling, a crash inside a codec) is read by the parent as "too complex".
"""

from __future__ import annotations

import json
import os
import resource
import sys
from pathlib import Path

from staffroom.media.processing.pipeline import process
from staffroom.media.processing.types import MediaKind, MediaRejected, ProcessingLimits


def _lower_limits(memory_bytes: int, cpu_seconds: int) -> None:
    # Address space, not RSS: the only ceiling the kernel enforces for an unprivileged
    # process; allocations past it fail (MemoryError) instead of the OOM killer firing.
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def main(argv: list[str]) -> int:
    kind, source, out_dir = MediaKind(argv[1]), Path(argv[2]), Path(argv[3])
    settings = json.loads(sys.stdin.read() or "{}")
    _lower_limits(int(settings["memory_bytes"]), int(settings["cpu_seconds"]))
    limits = ProcessingLimits.from_dict(settings.get("limits") or {})
    try:
        result = process(kind, source, out_dir, limits)
    except MediaRejected as rejected:
        print(json.dumps({"rejected": str(rejected.code), "detail": rejected.detail}))
        return 0
    except MemoryError:
        print(json.dumps({"rejected": "media_too_complex", "detail": "memory ceiling"}))
        return 0
    print(json.dumps({"processed": result.as_dict()}))
    return 0


if __name__ == "__main__":
    # Codecs may start threads of their own; one is plenty inside a sandbox.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    sys.exit(main(sys.argv))
