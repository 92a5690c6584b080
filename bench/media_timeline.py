"""The home page with media-rich posts against the same page of text-only posts.

Why two mirrored halves in one database rather than one set of posts with and without
attachments: both pages can then be timed in alternating rounds in the same process on the
same database file, so a burst of load on this shared machine lands on both. The halves are
the same in everything but media: a viewer following 50 authors who wrote 2,000 posts
(40 each, one a minute), with the same texts, times and feed rows; in the media half every
post has 1 to 4 ready attachments (images mostly, some video, audio and PDFs, with the meta,
waveform and alt text the pipeline writes), and the post's modality from them. Attachment
files do not exist: entities only build URLs from the stored names.

A page is built the way `GET /api/v1/timelines/home?limit=20` builds it after
authentication: the stored-feed selector (`timelines.selectors.home_timeline`), the page's
Status entities in one batch (`posts.entities.status_entities`) and the one JSON encoding
(`core.api.prebuilt.prebuilt_json`).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from bench.databases import DataSpec, Writer, source_key
from bench.rows import table_plan

AUTHORS = 50
POSTS = 2_000
PAGE_SIZE = 20
NOW_MS = 1_790_000_000_000  # fixed, so every build draws the same ids
HALVES = ("text", "media")
# The kinds of a media post's attachments, by (post index + position) in this cycle.
KIND_CYCLE = ("image", "image", "video", "image", "audio", "document", "image")
MODALITY_ORDER = ("video", "audio", "image", "document")  # services._MODALITY_ORDER
BLURHASH = "LEHV6nWB2yk8pyo0adR*.7kCMdnj"
Row = tuple[Any, ...]
Log = Callable[[str], None]


def _dimensions(width: int, height: int) -> dict[str, Any]:
    return {
        "width": width,
        "height": height,
        "size": f"{width}x{height}",
        "aspect": round(width / height, 6),
    }


def _waveform(index: int) -> list[float]:
    return [round(0.2 + 0.8 * ((index * 7 + i * 13) % 29) / 28, 3) for i in range(64)]


def attachment_fields(kind: str, index: int, position: int) -> dict[str, Any]:
    """What a processed attachment of `kind` holds, as `media_process` stores it."""
    token = f"{index:016x}{position:016x}"
    fields: dict[str, Any] = {
        "file": f"attachments/2026/01/{token}.jpg",
        "preview": f"previews/2026/01/{token}.jpg",
        "content_type": "image/jpeg",
        "meta": {"original": _dimensions(2560, 1920), "small": _dimensions(640, 480)},
        "extra": {},
        "blurhash": BLURHASH,
        "description": f"Photo {index}: the class anchor chart on equivalent fractions.",
        "original_name": "IMG_2041.jpg",
        "stored_bytes": 960_000,
    }
    if kind == "video":
        timing = {"duration": 30.0, "bitrate": 5_184_907, "frame_rate": "30/1"}
        fields |= {
            "file": f"attachments/2026/01/{token}.mp4",
            "content_type": "video/mp4",
            "meta": {"original": _dimensions(1280, 720) | timing, "small": _dimensions(640, 360)},
            "description": f"Clip {index}: pupils explaining a number line to each other.",
            "original_name": "lesson.mp4",
            "stored_bytes": 19_500_000,
        }
    elif kind == "audio":
        fields |= {
            "file": f"attachments/2026/01/{token}.m4a",
            "preview": "",
            "content_type": "audio/mp4",
            "meta": {"original": {"duration": 180.0, "bitrate": 129_731}},
            "extra": {"waveform": _waveform(index)},
            "blurhash": "",
            "description": f"Reflection {index}: three minutes on how the lesson went.",
            "original_name": "reflection.m4a",
            "stored_bytes": 2_900_000,
        }
    elif kind == "document":
        fields |= {
            "file": f"documents/2026/01/{token}/Fractions-practice.pdf",
            "content_type": "application/pdf",
            "meta": {"original": _dimensions(773, 1000), "small": _dimensions(495, 640)},
            "extra": {"format": "pdf", "pages": 20},
            "description": "",
            "original_name": "Fractions practice.pdf",
            "stored_bytes": 2_200_000,
        }
    return fields


class TimelineRows:
    """Profiles 0 and 1 are the viewers of the text and media halves; 2 to 51 the text
    authors, 52 to 101 the media authors. User i + 1 owns profile i."""

    def __init__(self, domain: str) -> None:
        self.base = f"http://{domain}"
        self.now = datetime.fromtimestamp(NOW_MS / 1000, tz=UTC)
        self.handles = ["viewer_text", "viewer_media"]
        self.handles += [f"{half}_author{a}" for half in HALVES for a in range(AUTHORS)]
        start_ms = NOW_MS - 90 * 86_400_000
        self.profile_ids = [(start_ms + i) << 16 for i in range(len(self.handles))]

    def _author(self, half: int, post: int) -> int:
        return 2 + half * AUTHORS + post % AUTHORS

    def _post_ms(self, post: int) -> int:
        return NOW_MS - (POSTS - post) * 60_000

    def post_id(self, half: int, post: int) -> int:
        return (self._post_ms(post) << 16) | half

    @staticmethod
    def kinds(post: int) -> list[str]:
        return [KIND_CYCLE[(post + p) % len(KIND_CYCLE)] for p in range(1 + post % 4)]

    def users(self) -> Iterator[Row]:
        joined = datetime.fromtimestamp((NOW_MS - 90 * 86_400_000) / 1000, tz=UTC)
        for i, handle in enumerate(self.handles):
            yield i + 1, f"{handle}@bench.invalid", "!bench-unusable", joined, joined

    def profiles(self) -> Iterator[Row]:
        for i, (pid, handle) in enumerate(zip(self.profile_ids, self.handles, strict=True)):
            yield pid, i + 1, handle, f"{self.base}/users/{handle}", handle.replace("_", " ")

    def follows(self) -> Iterator[Row]:
        for half in range(2):
            for a in range(AUTHORS):
                author = self.profile_ids[2 + half * AUTHORS + a]
                yield self.profile_ids[half] + 1 + a, self.profile_ids[half], author, self.now

    def profile_stats(self) -> Iterator[Row]:
        last = datetime.fromtimestamp(self._post_ms(POSTS - 1) / 1000, tz=UTC)
        for i, pid in enumerate(self.profile_ids):
            if i < 2:
                yield pid, 0, AUTHORS, 0, None
            else:
                yield pid, 1, 0, POSTS // AUTHORS, last

    def statuses(self) -> Iterator[Row]:
        for half in range(2):
            for post in range(POSTS):
                sid, author = self.post_id(half, post), self._author(half, post)
                handle = self.handles[author]
                text = f"Post {post}: exit tickets and retrieval practice in year 7 #edchat"
                kinds = set(self.kinds(post)) if half else set()
                modality = next((m for m in MODALITY_ORDER if m in kinds), "text")
                created = datetime.fromtimestamp(self._post_ms(post) / 1000, tz=UTC)
                uri = f"{self.base}/users/{handle}/statuses/{sid}"
                yield (sid, self.profile_ids[author], uri, text, f"<p>{text}</p>", sid, created,
                       modality)  # fmt: skip

    def feed_entries(self) -> Iterator[Row]:
        """Each viewer's stored home feed: the newest FEED_ROWS_MAX posts of its half."""
        from staffroom.timelines.models import FEED_ROWS_MAX

        for half in range(2):
            for post in range(max(0, POSTS - FEED_ROWS_MAX), POSTS):
                author = self.profile_ids[self._author(half, post)]
                yield self.profile_ids[half], None, self.post_id(half, post), author, author

    def attachments(self) -> Iterator[Row]:
        for post in range(POSTS):
            sid, author = self.post_id(1, post), self.profile_ids[self._author(1, post)]
            for position, kind in enumerate(self.kinds(post)):
                f = attachment_fields(kind, post, position)
                yield ((sid << 2) | position, author, sid, position, kind, "ready", f["file"],
                       f["preview"], f["content_type"], f["stored_bytes"], f["meta"], f["extra"],
                       f["blurhash"], f["description"], f["original_name"], self.now)  # fmt: skip

    def write(self, write_rows: Writer, log: Log) -> None:
        from staffroom.accounts.models import User
        from staffroom.graph.models import Follow
        from staffroom.media.models import MediaAttachment
        from staffroom.posts.models import Status
        from staffroom.profiles.models import Profile, ProfileStats
        from staffroom.timelines.models import FeedEntry

        media = ["id", "account_id", "status_id", "position", "kind", "state", "file", "preview",
                 "content_type", "stored_bytes", "meta", "extra", "blurhash", "description",
                 "original_name", "processed_at"]  # fmt: skip
        tables: Sequence[tuple[Any, list[str], Callable[[], Iterable[Row]]]] = [
            (User, ["id", "email", "password", "email_verified_at", "date_joined"], self.users),
            (Profile, ["id", "user_id", "handle", "uri", "display_name"], self.profiles),
            (Follow, ["id", "follower_id", "followee_id", "created_at"], self.follows),
            (ProfileStats, ["profile_id", "followers_count", "following_count", "statuses_count",
                            "last_status_at"], self.profile_stats),
            (Status, ["id", "account_id", "uri", "text", "content", "thread_id", "created_at",
                      "modality"], self.statuses),
            (FeedEntry, ["owner_id", "list_id", "status_id", "author_id", "origin_author_id"],
             self.feed_entries),
            (MediaAttachment, media, self.attachments),
        ]  # fmt: skip
        for model, varying, rows in tables:
            table, columns, constants = table_plan(model, varying, self.now)
            write_rows(table, columns, rows(), constants)
        log(f"  timeline data: {len(self.handles)} profiles, {2 * POSTS} posts")


def timeline_spec() -> DataSpec:
    """The two halves as a cached SQLite database (bench/databases.py builds and copies it)."""

    def load(writer: Writer, domain: str, log: Log) -> None:
        TimelineRows(domain).write(writer, log)

    key = source_key(f"a{AUTHORS}-p{POSTS}", ("media_timeline.py", "rows.py"))
    return DataSpec("media-timeline", key, (), load)


def _page_builder() -> Callable[[Any], bytes]:
    from django.http import HttpResponse

    from staffroom.core.api.prebuilt import prebuilt_json
    from staffroom.posts.entities import status_entities
    from staffroom.timelines.selectors import home_timeline

    def build(viewer: Any) -> bytes:
        page = home_timeline(viewer, limit=PAGE_SIZE)
        response = prebuilt_json(HttpResponse(), status_entities(page, viewer, None))
        return bytes(response.content)

    return build


def _check(build: Callable[[Any], bytes], viewer: Any) -> dict[str, Any]:
    """One page, its queries counted: its size, posts and attachments."""
    import json

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        body = build(viewer)
    statuses = json.loads(body)
    return {
        "queries": len(captured.captured_queries),
        "bytes": len(body),
        "statuses": len(statuses),
        "attachments": sum(len(s["media_attachments"]) for s in statuses),
    }


def _cpu_ms(work: Callable[[], object], repeat: int) -> float:
    """Median CPU milliseconds of `work` over `repeat` calls, after a few untimed ones."""
    times = []
    for index in range(repeat + 5):
        started = time.process_time()
        work()
        if index >= 5:
            times.append((time.process_time() - started) * 1000)
    return statistics.median(times)


def breakdown(viewer: Any, repeat: int) -> dict[str, float]:
    """CPU ms of the two parts of a page that attachments touch, on the viewer's page: the
    attachments' one query with their entities (`attachment_entities_by_status`), and the
    page's JSON encoding (which grows with them)."""
    from django.http import HttpResponse

    from staffroom.core.api.prebuilt import prebuilt_json
    from staffroom.media.entities import attachment_entities_by_status
    from staffroom.posts.entities import status_entities
    from staffroom.timelines.selectors import home_timeline

    page = home_timeline(viewer, limit=PAGE_SIZE)
    ids = [status.pk for status in page]
    built = status_entities(page, viewer, None)
    return {
        "attachments_ms": _cpu_ms(lambda: attachment_entities_by_status(ids), repeat),
        "json_ms": _cpu_ms(lambda: prebuilt_json(HttpResponse(), built), repeat),
    }


def measure_timeline(rounds: int, pages: int, log: Log) -> dict[str, Any]:
    """`rounds` alternating rounds (text first on even rounds, media first on odd ones) of
    `pages` pages per half, after a warm-up; wall and CPU time of every page."""
    from staffroom.profiles.models import Profile

    build = _page_builder()
    viewers = {half: Profile.objects.get(handle=f"viewer_{half}") for half in HALVES}
    result: dict[str, Any] = {half: _check(build, viewers[half]) for half in HALVES}
    result |= {"authors": AUTHORS, "posts": POSTS, "rounds": rounds}
    if result["text"]["statuses"] != PAGE_SIZE or result["media"]["statuses"] != PAGE_SIZE:
        raise RuntimeError(f"short pages: {result}")
    if result["text"]["attachments"] or not result["media"]["attachments"]:
        raise RuntimeError(f"the halves are not text-only and media-rich: {result}")
    for half in HALVES:
        for _ in range(pages):
            build(viewers[half])
    wall: dict[str, list[float]] = {half: [] for half in HALVES}
    cpu: dict[str, list[float]] = {half: [] for half in HALVES}
    for round_index in range(rounds):
        for half in HALVES if round_index % 2 == 0 else HALVES[::-1]:
            for _ in range(pages):
                cpu_start, started = time.process_time(), time.perf_counter()
                build(viewers[half])
                wall[half].append((time.perf_counter() - started) * 1000)
                cpu[half].append((time.process_time() - cpu_start) * 1000)
    for half in HALVES:
        result[half] |= {
            "pages": len(wall[half]),
            "wall_ms": statistics.median(wall[half]),
            "cpu_ms": statistics.median(cpu[half]),
        }
    for half in HALVES:
        result[half]["breakdown"] = breakdown(viewers[half], rounds * pages // 2)
    result["ratio_wall"] = result["media"]["wall_ms"] / result["text"]["wall_ms"]
    result["ratio_cpu"] = result["media"]["cpu_ms"] / result["text"]["cpu_ms"]
    log(
        f"  timeline: text {result['text']['wall_ms']:.2f} ms, media "
        f"{result['media']['wall_ms']:.2f} ms a page ({result['ratio_wall']:.2f}x)"
    )
    return result
