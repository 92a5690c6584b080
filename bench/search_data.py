"""The search benchmark's data: teachers and posts of ordinary words, written in bulk.

Each post has 8 to 24 words drawn from a Zipf-like vocabulary of teachers' words and made-up
ones, plus the words the benchmark searches for, at known rates: a common word
(`students`, about a quarter of the posts), a rare one (`quillwort`, about 1 in 20,000), a
phrase (`number talks`, about 1 in 300) and a hashtag (`#edchat`, about 1 in 100, with its
`posts_status_tags` row). Visibility is mostly public; one teacher in ten does not let
search index their posts; every teacher follows about 20 others. Rows go straight to the
tables (`bench/databases.py`), so the search index is empty until the run rebuilds it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from bench.databases import DataSpec, Log, Writer, source_key
from bench.rows import DAY_MS, USER_PASSWORD, Row, _ids, table_plan

COMMON, RARE, PHRASE, TAG = "students", "quillwort", "number talks", "edchat"
RATES = {COMMON: 0.25, RARE: 1 / 20_000, PHRASE: 1 / 300, TAG: 1 / 100}
FOLLOWS_PER_TEACHER = 20
VISIBILITIES = (("public", 0.85), ("unlisted", 0.05), ("followers", 0.07), ("direct", 0.03))
TEACHING_WORDS = [
    "lesson",
    "plan",
    "class",
    "grade",
    "math",
    "reading",
    "writing",
    "science",
    "history",
    "inquiry",
    "ratios",
    "fractions",
    "feedback",
    "assessment",
    "rubric",
    "project",
    "group",
    "discussion",
    "homework",
    "parents",
    "curriculum",
    "unit",
    "literacy",
    "vocabulary",
    "lab",
    "experiment",
    "art",
    "music",
    "coaching",
    "mentor",
    "classroom",
    "routine",
    "exit",
    "tickets",
    "retrieval",
    "practice",
    "questions",
    "thinking",
    "routines",
    "collaboration",
    "differentiation",
    "scaffold",
    "model",
    "example",
    "today",
    "week",
    "tomorrow",
    "shared",
    "tried",
    "worked",
    "learned",
    "love",
    "great",
    "idea",
]
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "nu",
    "pe",
    "ra",
    "si",
    "to",
    "va",
    "we",
    "xe",
    "yo",
    "zu",
    "bri",
    "cla",
    "dro",
    "fen",
    "gar",
    "hul",
    "jin",
]


@dataclass(frozen=True)
class SearchParams:
    teachers: int = 10_000
    posts: int = 1_000_000
    seed: int = 42

    def key(self) -> str:
        return f"search:{self.teachers}:{self.posts}:{self.seed}"


def vocabulary(rng: np.random.Generator, size: int = 5000) -> list[str]:
    """Teachers' words first (the most frequent), then made-up words of 2 to 4 syllables."""
    words = list(TEACHING_WORDS)
    seen = set(words) | set(RATES) | set(PHRASE.split())
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES, size=int(rng.integers(2, 5))))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class SearchRows:
    def __init__(self, params: SearchParams, *, domain: str) -> None:
        self.params = params
        self.rng = np.random.default_rng(params.seed)
        self.base = f"http://{domain}"
        now_ms = int(time.time() * 1000)
        self.start_ms = now_ms - 365 * DAY_MS
        self.now = datetime.fromtimestamp(now_ms / 1000, tz=UTC)
        self.profile_ids = _ids(self.start_ms, params.teachers)
        # Posts spread over the year, in id order.
        offsets = np.sort(self.rng.integers(DAY_MS, 364 * DAY_MS, size=params.posts))
        self.post_ms = self.start_ms + offsets
        self.post_ids = (self.post_ms << 16) | (np.arange(params.posts) & 0xFFFF)
        self.authors = self.rng.integers(0, params.teachers, size=params.posts)
        self.words = vocabulary(self.rng)
        self.tagged = self.rng.random(params.posts) < RATES[TAG]

    def write(self, write_rows: Writer, log: Log) -> None:
        from staffroom.accounts.models import User
        from staffroom.graph.models import Follow
        from staffroom.posts.models import Status, Tag
        from staffroom.profiles.models import Profile, ProfileStats

        tables: list[tuple[type, list[str], Callable[[], Iterator[Row]]]] = [
            (User, ["id", "email", "password", "email_verified_at", "date_joined"], self.users),
            (Profile, ["id", "user_id", "handle", "uri", "display_name", "note",
                       "is_indexable"], self.profiles),
            (ProfileStats, ["profile_id"], self.stats),
            (Follow, ["id", "follower_id", "followee_id", "created_at"], self.follows),
            (Status, ["id", "account_id", "uri", "text", "content", "visibility",
                      "thread_id", "created_at"], self.statuses),
            (Tag, ["id", "name", "normalized"], self.tags),
            (Status.tags.through, ["status_id", "tag_id"], self.status_tags),
        ]  # fmt: skip
        for model, varying, rows in tables:
            started = time.monotonic()
            table, columns, constants = table_plan(model, varying, self.now)
            write_rows(table, columns, rows(), constants)
            log(f"  {table}: {time.monotonic() - started:.1f}s")

    def users(self) -> Iterator[Row]:
        joined = datetime.fromtimestamp(self.start_ms / 1000, tz=UTC)
        for u in range(self.params.teachers):
            yield u + 1, f"t{u}@bench.invalid", USER_PASSWORD, joined, joined

    def profiles(self) -> Iterator[Row]:
        indexable = self.rng.random(self.params.teachers) >= 0.1
        for u, pid in enumerate(self.profile_ids.tolist()):
            note = " ".join(self.rng.choice(TEACHING_WORDS, size=8))
            yield (pid, u + 1, f"t{u}", f"{self.base}/users/t{u}", f"Teacher {u}", note,
                   bool(indexable[u]))  # fmt: skip

    def stats(self) -> Iterator[Row]:
        for pid in self.profile_ids.tolist():
            yield (pid,)

    def follows(self) -> Iterator[Row]:
        teachers = self.params.teachers
        followees = self.rng.integers(0, teachers, size=(teachers, FOLLOWS_PER_TEACHER))
        fid = int(_ids(self.start_ms + DAY_MS, 1)[0])
        pids = self.profile_ids.tolist()
        for follower in range(teachers):
            for followee in sorted(set(followees[follower].tolist()) - {follower}):
                fid += 1
                yield fid, pids[follower], pids[followee], self.now

    def _texts(self) -> Iterator[str]:
        count = self.params.posts
        lengths = self.rng.integers(8, 25, size=count)
        ranks = np.minimum(self.rng.zipf(1.2, size=int(lengths.sum())) - 1, len(self.words) - 1)
        drawn = [self.words[rank] for rank in ranks.tolist()]
        extras = {word: self.rng.random(count) < rate for word, rate in RATES.items()}
        position = 0
        for i, length in enumerate(lengths.tolist()):
            words = drawn[position : position + length]
            position += length
            for word in (COMMON, RARE, PHRASE):
                if extras[word][i]:
                    words.insert(int(self.rng.integers(0, len(words))), word)
            if self.tagged[i]:
                words.append(f"#{TAG}")
            yield " ".join(words)

    def statuses(self) -> Iterator[Row]:
        pids = self.profile_ids.tolist()
        names = [name for name, _ in VISIBILITIES]
        chosen = self.rng.choice(len(names), size=self.params.posts, p=[p for _, p in VISIBILITIES])
        rows = zip(
            self.post_ids.tolist(), self.authors.tolist(), self.post_ms.tolist(), chosen.tolist(),
            self._texts(), strict=True,
        )  # fmt: skip
        for sid, author, ms, visibility, text in rows:
            yield (
                sid,
                pids[author],
                f"{self.base}/users/t{author}/statuses/{sid}",
                text,
                f"<p>{text}</p>",
                names[visibility],
                sid,
                datetime.fromtimestamp(ms / 1000, tz=UTC),
            )

    def tags(self) -> Iterator[Row]:
        yield 1, TAG, TAG

    def status_tags(self) -> Iterator[Row]:
        for sid in self.post_ids[self.tagged].tolist():
            yield sid, 1


def search_spec(params: SearchParams) -> DataSpec:
    def load(writer: Writer, domain: str, log: Log) -> None:
        SearchRows(params, domain=domain).write(writer, log)

    key = source_key(params.key(), ("search_data.py", "rows.py"))
    name = f"search-{params.posts}"
    return DataSpec(name, key, ("posts_status", "posts_status_tags", "graph_follow"), load)
