"""Reading starter packs: lists and filters, a pack's members as a viewer may see them, the
packs for a teacher's subjects and grade bands, and packs proposed by the engine.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.db.models import Count, QuerySet

from staffroom.core.exceptions import NotFound
from staffroom.core.ids import id_or_not_found
from staffroom.graph.selectors import blocked_either_way_q, blocked_ids_for, profiles_visible_to
from staffroom.profiles import taxonomy
from staffroom.profiles.models import Profile, ProfileTerm, TermKind
from staffroom.recommendations import explain
from staffroom.recommendations.models import StarterPack, StarterPackMember
from staffroom.recommendations.snapshot import current_snapshot

PROPOSAL_SIZE = 24
PROPOSALS_MAX = 4


def starter_packs(
    *,
    subject: str = "",
    band: str = "",
    curator: Profile | None = None,
    viewer: Profile | None = None,
) -> QuerySet[StarterPack]:
    """Packs, most recently changed first, with `member_count`; filtered by a subject slug,
    a grade band slug or a curator. The slug filters match the quoted slug in the stored
    JSON text (JSONField's `contains` is not available on SQLite). The order is explicit:
    Django drops Meta.ordering from a query that groups (the count).

    Only packs whose curator is in good standing and not suspended, and, for a viewer, not
    on either side of a block with them: a pack shows its curator, and neither side of a
    block sees the other."""
    packs = (
        StarterPack.objects.select_related("curator")
        .annotate(member_count=Count("memberships"))
        .order_by("-updated_at", "-pk")
    )
    packs = packs.filter(curator__in=profiles_visible_to(viewer))
    if curator is not None:
        packs = packs.filter(curator=curator)
    if subject:
        packs = packs.filter(subjects__icontains=f'"{subject}"')
    if band:
        packs = packs.filter(grade_bands__icontains=f'"{band}"')
    return packs


def starter_pack_get(pack_id: int | str, viewer: Profile | None = None) -> StarterPack:
    """A pack by id as `viewer` may see it (packs are public; see `starter_packs`): NotFound
    otherwise, the same for an unknown pack as for a hidden one."""
    pack = starter_packs(viewer=viewer).filter(pk=id_or_not_found(pack_id)).first()
    if pack is None:
        raise NotFound("Record not found")
    return pack


def _shown_members() -> QuerySet[Profile]:
    """Members a pack still shows: in good standing, not suspended, and still willing to
    appear in suggestions (discoverable, not limited): a member who opts out later leaves
    every pack at once, without the curator's help."""
    return Profile.objects.in_good_standing().discoverable()


def pack_members(pack: StarterPack, viewer: Profile | None) -> list[Profile]:
    """The pack's accounts the viewer may see, in the curator's order (`_shown_members`),
    and not on either side of a block with the viewer."""
    rows = StarterPackMember.objects.filter(pack=pack).filter(profile__in=_shown_members())
    if viewer is not None:
        rows = rows.exclude(blocked_either_way_q(viewer, "profile"))
    rows = rows.select_related("profile", "profile__stats", "profile__user").order_by(
        "position", "pk"
    )
    return [row.profile for row in rows]


def _subjects_and_bands(profile: Profile) -> tuple[list[str], list[str]]:
    subjects: list[str] = []
    grades: list[str] = []
    for kind, value in ProfileTerm.objects.filter(
        profile=profile, kind__in=[TermKind.SUBJECT, TermKind.GRADE]
    ).values_list("kind", "value"):
        (subjects if kind == TermKind.SUBJECT else grades).append(value)
    return subjects, taxonomy.bands_of(grades)


def packs_for(viewer: Profile, limit: int = 6) -> list[StarterPack]:
    """Curated packs for the teacher's subjects or grade bands (both first), then the rest
    when the teacher has neither."""
    subjects, bands = _subjects_and_bands(viewer)
    packs = list(starter_packs(viewer=viewer)[:200])
    if not subjects and not bands:
        return packs[:limit]

    def fit(pack: StarterPack) -> int:
        return len(set(pack.subjects) & set(subjects)) * 2 + len(set(pack.grade_bands) & set(bands))

    matching = [pack for pack in packs if fit(pack) > 0]
    matching.sort(key=lambda pack: -fit(pack))
    return matching[:limit]


@dataclass(frozen=True)
class Proposal:
    """A pack the engine proposes for one subject and grade band: the most followed and
    most active educators who teach both. Saving it makes a curated pack."""

    subject: str
    band: str
    title: str
    members: tuple[Profile, ...]
    reason: str


def proposal(subject: str, band: str, viewer: Profile | None = None) -> Proposal | None:
    """The proposal for a subject and band, or None when fewer than three educators fit."""
    snap = current_snapshot()
    columns = [snap.vocabulary.get(f"subject:{subject}"), snap.vocabulary.get(f"band:{band}")]
    if snap.n == 0 or None in columns:
        return None
    has = np.asarray(snap.terms[:, columns].sum(axis=1)).ravel() >= 2
    has &= snap.suggestable
    if viewer is not None:
        has[snap.indices_of(blocked_ids_for(viewer) | {viewer.pk})] = False
    candidates = np.flatnonzero(has)
    if len(candidates) < 3:
        return None
    followers = np.log1p(snap.arrays.indeg[candidates])
    activity = np.log1p(snap.posts[candidates].sum(axis=1))
    score = 0.6 * followers / max(float(followers.max()), 1e-12) + 0.4 * activity / max(
        float(activity.max()), 1e-12
    )
    order = candidates[np.lexsort((candidates, -score))][: PROPOSAL_SIZE * 2]
    ids = [int(snap.profile_ids[i]) for i in order.tolist()]
    live = {
        p.pk: p
        for p in Profile.objects.filter(pk__in=ids, is_away=False)
        .discoverable()
        .in_good_standing()
        .select_related("stats", "user")
    }
    members = tuple(live[pk] for pk in ids if pk in live)[:PROPOSAL_SIZE]
    if len(members) < 3:
        return None
    subject_label = taxonomy.label_of(taxonomy.SUBJECTS, subject)
    band_label = str(taxonomy.BANDS[band][0])
    shared = explain.Shared(subjects=(subject,), bands=(band,))
    return Proposal(
        subject=subject,
        band=band,
        title=f"{band_label} {subject_label}",
        members=members,
        reason=explain.profile_text(shared, whom=None).split(",")[0],
    )


def proposals_for(viewer: Profile) -> list[Proposal]:
    """Proposed packs for the teacher's subjects and grade bands (at most PROPOSALS_MAX)."""
    subjects, bands = _subjects_and_bands(viewer)
    parents = [s for s in subjects if s in taxonomy.SUBJECT_SLUGS]
    found: list[Proposal] = []
    for subject in parents:
        for band in bands:
            made = proposal(subject, band, viewer)
            if made is not None:
                found.append(made)
            if len(found) >= PROPOSALS_MAX:
                return found
    return found


__all__ = [
    "Proposal",
    "pack_members",
    "packs_for",
    "proposal",
    "proposals_for",
    "starter_pack_get",
    "starter_packs",
]
