"""The suggestions network as table rows: the feeds' rows (`bench/rows.py`) for users,
follows, list members and counters, plus what suggestions read and the feeds do not
(profile columns, profile terms, purpose lists with purposes, posts with a modality). No
stored home feeds: suggestions never read them."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

from django.db import models

from bench.rows import NetworkRows, Row, WriteRows, table_plan
from bench.suggestions_network import MODALITIES, SuggestionNetwork


class SuggestionRows(NetworkRows):
    def __init__(self, data: SuggestionNetwork, *, domain: str) -> None:
        super().__init__(data.network, domain=domain)
        self.data = data

    def write(self, write_rows: WriteRows, log: Callable[[str], None]) -> None:
        from staffroom.accounts.models import User
        from staffroom.graph.models import Follow, PurposeList, PurposeListMember
        from staffroom.posts.models import Status
        from staffroom.profiles.models import Profile, ProfileStats, ProfileTerm

        profile_columns = ["id", "user_id", "handle", "uri", "display_name", "experience_years",
                           "mentorship", "interaction_style", "goal_purposes", "learning_styles",
                           "onboarded_at"]  # fmt: skip
        tables: list[tuple[type[models.Model], list[str], Callable[[], Iterator[Row]]]] = [
            (User, ["id", "email", "password", "email_verified_at", "date_joined"], self.users),
            (Profile, profile_columns, self.teacher_profiles),
            (ProfileTerm, ["profile_id", "kind", "value"], self.terms),
            (Follow, ["id", "follower_id", "followee_id", "created_at"], self.follows),
            (Status, ["id", "account_id", "uri", "text", "content", "thread_id", "created_at",
                      "modality"], self.posts),
            (PurposeList, ["id", "owner_id", "title", "purpose"], self.purpose_lists),
            (PurposeListMember, ["list_id", "profile_id"], self.list_members),
            (ProfileStats, ["profile_id", "followers_count", "following_count", "statuses_count",
                            "last_status_at"], self.profile_stats),
        ]  # fmt: skip
        for model, varying, rows in tables:
            started = time.monotonic()
            table, columns, constants = table_plan(model, varying, self.now)
            write_rows(table, columns, rows(), constants)
            log(f"  {table}: {time.monotonic() - started:.1f}s")

    def teacher_profiles(self) -> Iterator[Row]:
        t = self.data.teachers
        for u, pid in enumerate(self.profile_ids.tolist()):
            yield (
                pid,
                u + 1,
                f"t{u}",
                f"{self.base}/users/t{u}",
                f"Teacher {u}",
                int(t.experience[u]),
                t.mentorship[u],
                t.interaction[u],
                t.goals[u],
                t.learning[u],
                self.joined,
            )

    def terms(self) -> Iterator[Row]:
        pids = self.profile_ids.tolist()
        for u, kind, value in self.data.teachers.terms:
            yield pids[u], kind, value

    def posts(self) -> Iterator[Row]:
        net = self.network
        pids = self.profile_ids.tolist()
        modality = self.data.post_modality.tolist()
        rows = zip(
            net.post_id.tolist(), net.post_ms.tolist(), net.post_author.tolist(), strict=True
        )
        for i, (sid, ms, author) in enumerate(rows):
            text = f"Post {i} from teacher {author}: exit tickets and retrieval practice #edchat"
            yield (
                sid,
                pids[author],
                f"{self.base}/users/t{author}/statuses/{sid}",
                text,
                f"<p>{text}</p>",
                sid,
                datetime.fromtimestamp(ms / 1000, tz=UTC),
                MODALITIES[modality[i]],
            )

    def purpose_lists(self) -> Iterator[Row]:
        pids = self.profile_ids
        purposes = self.data.teachers.list_purposes
        for index, owner in enumerate(self.network.viewers.tolist()):
            title = f"Bench {purposes[index]} {index}"
            yield int(self.list_ids[index]), int(pids[owner]), title, purposes[index]
