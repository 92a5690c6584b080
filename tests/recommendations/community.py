"""A small, hand-shaped community for the live suggestion tests (never ../shared/data).

- 10 grade 7 math teachers who follow one another (m7_0..m7_9); m7_0 and m7_1 offer
  mentorship with long experience; m7_2..m7_4 share resources often;
- 10 grade 10 science teachers who follow one another (s10_0..s10_9);
- 6 widely followed art teachers ("stars", k-2), followed by everyone above.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from staffroom.graph.services.follow import follow_create
from staffroom.posts.services import PostText, status_create
from staffroom.profiles.models import Profile
from staffroom.profiles.professional import goals_update
from tests.factories import make_profile


@dataclass
class Community:
    math7: list[Profile] = field(default_factory=list)
    science10: list[Profile] = field(default_factory=list)
    stars: list[Profile] = field(default_factory=list)

    @property
    def everyone(self) -> list[Profile]:
        return [*self.math7, *self.science10, *self.stars]


def build_community() -> Community:
    c = Community()
    # Created in turns, so that ids (the engine's last tie-break) favour neither group.
    for i in range(10):
        extra: dict[str, Any] = {}
        if i < 2:
            extra = {"mentorship": "offering", "experience_years": 18}
        practices = ["inquiry-based-learning"] if i % 2 else []
        c.math7.append(
            make_profile(f"m7_{i}", subjects=["math"], grades=["g7"], practices=practices, **extra)
        )
        c.science10.append(make_profile(f"s10_{i}", subjects=["science"], grades=["g10"]))
    for i in range(6):
        c.stars.append(make_profile(f"star_{i}", subjects=["visual-arts"], grades=["k", "g1"]))
    for group in (c.math7, c.science10):
        for i, member in enumerate(group):
            for step in (1, 2, 3, 5):
                follow_create(actor=member, target=group[(i + step) % len(group)])
            for star in c.stars:
                follow_create(actor=member, target=star)
    for member in c.math7[2:5]:
        for n in range(4):
            status_create(
                author=member,
                draft=PostText(text=f"Ratio task card {n} https://example.org/r{n}"),
                modality="link",
            )
    goals_update(profile=c.math7[3], interaction="reciprocal")
    return c
