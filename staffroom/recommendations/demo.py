"""The suggestions part of the demo community: the first snapshot, and starter packs.

Runs after the graph, posts and moderation parts (the notifications part, which writes only
notifications, comes later): the snapshot reads every follow, term and post. Then
`demo_admin` curates a "Grade 7 math" pack (the most followed grade 7 math teachers) and
saves the engine's proposals for the community's three largest subject and grade band
pairs, so /grow and /packs have something to show; `demo` has dismissed one suggestion, so
"Not for me" can be seen undone. Running again changes nothing: packs are matched by title.
"""

from __future__ import annotations

from collections import Counter

from staffroom.core.demo import DemoContext, demo_part
from staffroom.graph.models import Follow
from staffroom.profiles import taxonomy
from staffroom.profiles.models import Profile, ProfileTerm, TermKind
from staffroom.recommendations.models import Dismissal, StarterPack
from staffroom.recommendations.packs import proposal
from staffroom.recommendations.selectors import suggestions_for
from staffroom.recommendations.services import PackFields, starter_pack_create
from staffroom.recommendations.snapshot import snapshot_build

PACK_SIZE = 12


def _grade7_math(curator: Profile) -> None:
    if StarterPack.objects.filter(curator=curator, title="Grade 7 math").exists():
        return
    teachers = (
        Profile.objects.filter(terms__kind=TermKind.SUBJECT, terms__value="math")
        .filter(
            pk__in=ProfileTerm.objects.filter(kind=TermKind.GRADE, value="g7").values("profile_id")
        )
        .discoverable()
        .in_good_standing()
        .exclude(pk=curator.pk)
        .order_by("-stats__followers_count", "pk")
        .values_list("pk", flat=True)[:PACK_SIZE]
    )
    if len(teachers) < 3:
        return
    starter_pack_create(
        actor=curator,
        fields=PackFields(
            title="Grade 7 math",
            description="Colleagues teaching grade 7 mathematics who share what works.",
            subjects=["math"],
            grade_bands=["6-8"],
            account_ids=list(teachers),
        ),
    )


def _common_pairs(limit: int) -> list[tuple[str, str]]:
    """The subject and grade band pairs most teachers share."""
    subjects: dict[int, set[str]] = {}
    bands: dict[int, set[str]] = {}
    for profile_id, kind, value in ProfileTerm.objects.filter(
        kind__in=[TermKind.SUBJECT, TermKind.GRADE]
    ).values_list("profile_id", "kind", "value"):
        if kind == TermKind.SUBJECT and value in taxonomy.SUBJECT_SLUGS:
            subjects.setdefault(profile_id, set()).add(value)
        elif kind == TermKind.GRADE:
            bands.setdefault(profile_id, set()).update(taxonomy.bands_of([value]))
    counts: Counter[tuple[str, str]] = Counter()
    for profile_id, mine in subjects.items():
        for subject in mine:
            for band in bands.get(profile_id, ()):
                counts[(subject, band)] += 1
    return [pair for pair, _count in counts.most_common(limit)]


@demo_part(order=75, name="suggestions")
def demo_suggestions(context: DemoContext) -> None:
    """Build the first snapshot, the starter packs and one dismissal (module docstring)."""
    snapshot_build()
    curator = Profile.objects.filter(handle="demo_admin", domain="").first()
    if curator is None:
        return
    _grade7_math(curator)
    for subject, band in _common_pairs(3):
        made = proposal(subject, band, curator)
        if made is None or StarterPack.objects.filter(title=made.title).exists():
            continue
        starter_pack_create(
            actor=curator,
            fields=PackFields(
                title=made.title,
                description=f"{made.reason}: the most followed and most active on this server.",
                subjects=[subject],
                grade_bands=[band],
                account_ids=[member.pk for member in made.members[:PACK_SIZE]],
            ),
        )
    demo = Profile.objects.filter(handle="demo", domain="").first()
    if demo is not None and not Dismissal.objects.filter(profile=demo).exists():
        found = suggestions_for(demo, limit=10)
        if found:
            Dismissal.objects.create(profile=demo, dismissed=found[-1].profile)
    packs = StarterPack.objects.filter(curator=curator).count()
    follows = Follow.objects.count()
    context.log(f"demo: suggestion snapshot over {follows} follows; {packs} starter packs")
