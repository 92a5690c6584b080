"""Each purpose re-ranks suggestions the way it says, on the demo community (`staffroom
demo`): measured from the database, not from the engine's own features."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from statistics import mean

import pytest
from django.core.management import call_command
from django.utils import timezone

from staffroom.posts.models import Status
from staffroom.profiles.models import Profile, ProfileTerm, TermKind
from staffroom.profiles.taxonomy import PRACTICES, bands_of, label_of
from staffroom.recommendations.selectors import suggestions_for

TOP = 10


def _terms(profile_id: int, kind: str) -> set[str]:
    return set(
        ProfileTerm.objects.filter(profile_id=profile_id, kind=kind).values_list("value", flat=True)
    )


def _shared(viewer: Profile, other: Profile, kind: str) -> int:
    return len(_terms(viewer.pk, kind) & _terms(other.pk, kind))


def _same_band(viewer: Profile, other: Profile) -> bool:
    mine = set(bands_of(_terms(viewer.pk, TermKind.GRADE)))
    return bool(mine & set(bands_of(_terms(other.pk, TermKind.GRADE))))


def _shares(profile: Profile) -> int:
    since = timezone.now() - timedelta(days=60)
    return Status.objects.filter(
        account=profile, modality__in=["resource", "link"], created_at__gte=since
    ).count()


def _posts_about_practices(viewer: Profile, other: Profile) -> int:
    """Recent public posts of `other` naming one of the viewer's practices, as written."""
    names = [label_of(PRACTICES, slug).lower() for slug in _terms(viewer.pk, TermKind.PRACTICE)]
    texts = Status.objects.filter(
        account=other,
        created_at__gte=timezone.now() - timedelta(days=60),
        visibility__in=["public", "unlisted"],
    ).values_list("text", flat=True)
    return sum(1 for text in texts if any(name in text.lower() for name in names))


MEASURES: dict[str, Callable[[Profile, Profile], float]] = {
    "resources": lambda viewer, other: _shares(other),
    "inspiration": lambda viewer, other: other.stats.followers_count,
    "support": lambda viewer, other: float(
        _same_band(viewer, other)
        and _shared(viewer, other, TermKind.SUBJECT) > 0
        and other.interaction_style == "reciprocal"
    ),
    "mentorship": lambda viewer, other: (
        float(other.mentorship == "offering") + min(other.experience_years or 0, 20) / 100
    ),
    "practices": lambda viewer, other: (
        _posts_about_practices(viewer, other) + _shared(viewer, other, TermKind.PRACTICE)
    ),
}


def _viewers() -> list[Profile]:
    """Demo teachers with subjects, grades and practices (so every purpose has a meaning)."""
    with_all = (
        Profile.objects.filter(domain="", terms__kind=TermKind.PRACTICE)
        .filter(pk__in=ProfileTerm.objects.filter(kind=TermKind.GRADE).values("profile_id"))
        .filter(pk__in=ProfileTerm.objects.filter(kind=TermKind.SUBJECT).values("profile_id"))
        .distinct()
        .order_by("pk")
    )
    return list(with_all[:5])


@pytest.mark.django_db
def test_each_purpose_reorders_the_demo_communitys_suggestions_as_it_says():
    call_command("demo", "--users", "120", "--seed", "7")
    viewers = _viewers()
    assert len(viewers) >= 3
    for purpose, measure in MEASURES.items():
        plain_scores: list[float] = []
        purposed_scores: list[float] = []
        for viewer in viewers:
            plain = suggestions_for(viewer, limit=TOP)
            purposed = suggestions_for(viewer, purpose=purpose, limit=TOP)
            plain_scores += [measure(viewer, item.profile) for item in plain]
            purposed_scores += [measure(viewer, item.profile) for item in purposed]
            assert any(r.kind == f"purpose_{purpose}" for item in purposed for r in item.reasons)
        assert mean(purposed_scores) > mean(plain_scores), (purpose, plain_scores, purposed_scores)
