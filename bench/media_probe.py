"""One measurement of the media benchmark, in a fresh process:
`python -m bench.media_probe MODE KIND SOURCE` prints one JSON line.

Why a process per measurement: the worker's memory is its sandboxed child's, and the one
exact figure for a child is `getrusage(RUSAGE_CHILDREN).ru_maxrss`, the largest peak among
the children this process waited for. A probe that starts exactly one child reads exactly
that child's peak (Linux starts a child's figure at its parent's peak, so it is the child's
own wherever it is above the probe's; the probe reports its own peak to show it is). The
probe imports no more than its mode needs (no Django, no numpy), so the baseline's own peak
is the library's and the interpreter's.

Modes:
- `ours`: `run_sandboxed` as the worker runs it (limits as JSON on stdin, from the
  settings): wall time, the child's peak RSS and CPU time, and its peak address space
  sampled from /proc while it runs (the sandbox's ceiling is on address space, not RSS).
- `startup`: a child like the sandbox's (`python -P`, the sandbox's environment) that only
  imports the kind's processor module: the fixed cost inside `ours`.
- `inprocess`: the same processor (`processing.process`) called in this process, timed
  around the call (imports done before): the checks and the files it writes, without the
  sandbox's child.
- `baseline`: the same library's minimal operation on the same file, in this process, timed
  around the operation only (imports done before): Pillow decode and JPEG encode at the
  same size, a PyAV stream copy into the same container, pypdf read and write.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SAMPLE_SECONDS = 0.002
# The module each kind's sandboxed child imports (staffroom.media.processing.pipeline).
PROCESSOR_MODULES = {
    "image": "staffroom.media.processing.images",
    "audio": "staffroom.media.processing.av_media",
    "video": "staffroom.media.processing.av_media",
    "document": "staffroom.media.processing.documents",
}


def own_peak_rss_kib() -> int:
    """This process's own peak RSS since it started (VmHWM). Not `RUSAGE_SELF.ru_maxrss`:
    Linux carries the forking parent's high-water mark across exec into that figure, so a
    probe started by the (large) benchmark process would report the benchmark's size."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


class ChildSampler(threading.Thread):
    """Polls this process's children's VmPeak and VmHWM (KiB) until stopped: lower bounds on
    the child's peak address space and RSS (what it allocates between the last sample and
    its exit is missed; both are high-water marks, so nothing earlier is)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stopped = threading.Event()
        self.vm_peak_kib = 0
        self.rss_peak_kib = 0
        self.samples = 0
        self._children = Path(f"/proc/{os.getpid()}/task/{threading.get_native_id()}/children")

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                pids = self._children.read_text().split()
            except OSError:
                pids = []
            for pid in pids:
                self._read(pid)
            time.sleep(SAMPLE_SECONDS)

    def _read(self, pid: str) -> None:
        try:
            lines = Path(f"/proc/{pid}/status").read_text().splitlines()
        except OSError:
            return
        for line in lines:
            if line.startswith("VmPeak:"):
                self.vm_peak_kib = max(self.vm_peak_kib, int(line.split()[1]))
                self.samples += 1
            elif line.startswith("VmHWM:"):
                self.rss_peak_kib = max(self.rss_peak_kib, int(line.split()[1]))


def _children_figures() -> dict[str, Any]:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"peak_rss_kib": usage.ru_maxrss, "cpu_s": usage.ru_utime + usage.ru_stime}


def ours(kind: str, source: Path, limits: dict[str, Any]) -> dict[str, Any]:
    from staffroom.media.processing.types import MediaKind, ProcessingLimits
    from staffroom.media.sandbox import SandboxLimits, run_sandboxed

    processing = ProcessingLimits.from_dict(limits["processing"])
    sandbox = SandboxLimits(**limits["sandbox"])
    sampler = ChildSampler()  # created here: it watches the children of this thread
    with tempfile.TemporaryDirectory(prefix="bench-media-") as folder:
        sampler.start()
        started = time.perf_counter()
        result = run_sandboxed(MediaKind(kind), source, Path(folder), processing, sandbox)
        seconds = time.perf_counter() - started
        sampler.stopped.set()
        sampler.join()
        written = {path.name: path.stat().st_size for path in Path(folder).iterdir()}
    return {
        "seconds": seconds,
        **_children_figures(),
        "vm_peak_kib": sampler.vm_peak_kib,
        "sampled_rss_kib": sampler.rss_peak_kib,
        "vm_samples": sampler.samples,
        # The floor under ru_maxrss (see own_peak_rss_kib): the child's figure is its own
        # only where it is above this probe's peak.
        "probe_rss_kib": own_peak_rss_kib(),
        "written": written,
        "type": result.mastodon_type,
    }


def inprocess(kind: str, source: Path, limits: dict[str, Any]) -> dict[str, Any]:
    import importlib

    from staffroom.media.processing.pipeline import process
    from staffroom.media.processing.types import MediaKind, ProcessingLimits

    importlib.import_module(PROCESSOR_MODULES[kind])  # untimed, as the baseline's imports
    with tempfile.TemporaryDirectory(prefix="bench-media-") as folder:
        cpu, started = time.process_time(), time.perf_counter()
        process(MediaKind(kind), source, Path(folder), ProcessingLimits.from_dict(limits))
        seconds, cpu_s = time.perf_counter() - started, time.process_time() - cpu
    return {"seconds": seconds, "cpu_s": cpu_s, "peak_rss_kib": own_peak_rss_kib()}


def startup(kind: str) -> dict[str, Any]:
    """A fresh `python -P` importing the kind's processor, with what the sandbox passes on."""
    passed = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "LD_LIBRARY_PATH", "TZ")
    environment = {name: os.environ[name] for name in passed if name in os.environ}
    environment["PYTHONPATH"] = os.environ.get("PYTHONPATH", "")
    environment["OMP_NUM_THREADS"] = "1"
    command = [sys.executable, "-P", "-c", f"import {PROCESSOR_MODULES[kind]}"]
    started = time.perf_counter()
    subprocess.run(command, env=environment, check=True)  # noqa: S603 - our interpreter
    return {"seconds": time.perf_counter() - started, **_children_figures()}


def _jpeg(source: Path, target: Path) -> Callable[[], None]:
    from PIL import Image

    def run() -> None:
        with Image.open(source) as image:
            image.load()
            image.save(target.with_suffix(".jpg"), "JPEG", quality=85)

    return run


def _remux(source: Path, target: Path, muxer: str, suffix: str) -> Callable[[], None]:
    import av

    def run() -> None:
        with av.open(str(source)) as container:
            streams = [*container.streams.video[:1], *container.streams.audio[:1]]
            with av.open(str(target.with_suffix(suffix)), mode="w", format=muxer) as output:
                copies = {s.index: output.add_stream_from_template(s) for s in streams}
                for packet in container.demux(*streams):
                    if packet.dts is None:
                        continue
                    packet.stream = copies[packet.stream.index]
                    output.mux(packet)

    return run


def _pdf(source: Path, target: Path) -> Callable[[], None]:
    from pypdf import PdfReader, PdfWriter

    def run() -> None:
        PdfWriter(clone_from=PdfReader(source)).write(target.with_suffix(".pdf"))

    return run


def baseline(kind: str, source: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-media-") as folder:
        target = Path(folder) / "copy"
        operations: dict[str, Callable[[], Callable[[], None]]] = {
            "image": lambda: _jpeg(source, target),
            "audio": lambda: _remux(source, target, "ipod", ".m4a"),
            "video": lambda: _remux(source, target, "mp4", ".mp4"),
            "document": lambda: _pdf(source, target),
        }
        operation = operations[kind]()  # imports the library, untimed
        cpu, started = time.process_time(), time.perf_counter()
        operation()
        seconds, cpu_s = time.perf_counter() - started, time.process_time() - cpu
        written = {path.name: path.stat().st_size for path in Path(folder).iterdir()}
    peak = own_peak_rss_kib()
    return {"seconds": seconds, "cpu_s": cpu_s, "peak_rss_kib": peak, "written": written}


def main(argv: list[str]) -> int:
    mode, kind = argv[0], argv[1]
    if mode == "ours":
        result = ours(kind, Path(argv[2]), json.loads(sys.stdin.read()))
    elif mode == "inprocess":
        result = inprocess(kind, Path(argv[2]), json.loads(sys.stdin.read())["processing"])
    elif mode == "startup":
        result = startup(kind)
    elif mode == "baseline":
        result = baseline(kind, Path(argv[2]))
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
