"""Reasons a person reads: the engine's reason kinds and the purposes, as translated
sentences naming what is shared ("Teaches Mathematics in Grade 7, like you").

The engine (pure numpy) decides which kinds explain a suggestion and how much each
weighs; this module only words them, from the candidate's feature row and terms.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypedDict

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from staffroom.profiles import taxonomy
from staffroom.recommendations.engine.features import COLUMN
from staffroom.recommendations.engine.graph import FloatArray

# Mastodon's Suggestion `sources` values, for the reason kinds that match one.
MASTODON_SOURCES: dict[str, str] = {
    "followed_by_followees": "friends_of_friends",
    "followed_by_followers": "friends_of_friends",
    "follows_you": "most_interactions",
    "popular": "most_followed",
    "purpose_inspiration": "most_followed",
    "starter_pack": "featured",
}
SIMILAR_SOURCE = "similar_to_recently_followed"
_PARENT = {term.slug: term.parent for term in taxonomy.SUBJECTS if term.parent}


class ReasonEntity(TypedDict):
    """A reason on the wire (a Suggestion's `reasons[]`, a feed item's `pln.suggested`)."""

    kind: str
    text: str
    weight: float


@dataclass(frozen=True)
class Reason:
    kind: str
    text: str
    weight: float

    def as_dict(self) -> ReasonEntity:
        return {"kind": self.kind, "text": self.text, "weight": self.weight}


@dataclass(frozen=True)
class Shared:
    """Profile terms a candidate shares with the teacher (or with a list or a profile)."""

    subjects: tuple[str, ...] = ()
    grades: tuple[str, ...] = ()
    bands: tuple[str, ...] = ()
    practices: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.subjects or self.grades or self.bands or self.practices)


def shared_terms(mine: set[str], theirs: set[str]) -> Shared:
    """Shared terms from two sets of snapshot tokens (`kind:value`), as slugs by kind."""
    common = mine & theirs

    def of(kind: str) -> tuple[str, ...]:
        return tuple(sorted(t.split(":", 1)[1] for t in common if t.startswith(f"{kind}:")))

    grades = tuple(taxonomy.sort_grades(of("grade")))
    bands = () if grades else of("band")
    # "Algebra" says more than "Algebra, Mathematics": a sub-area stands for its subject.
    named = of("subject")
    parents = {_PARENT.get(slug) for slug in named}
    subjects = tuple(slug for slug in named if slug not in parents)
    return Shared(subjects=subjects, grades=grades, bands=bands, practices=of("practice"))


def _labels(shared: Shared) -> tuple[str, str, str]:
    subjects = ", ".join(taxonomy.label_of(taxonomy.SUBJECTS, s) for s in shared.subjects[:3])
    grades = ", ".join(taxonomy.label_of(taxonomy.GRADES, g) for g in shared.grades[:3])
    if not grades and shared.bands:
        grades = ", ".join(str(taxonomy.BANDS[b][0]) for b in shared.bands[:2])
    practices = ", ".join(taxonomy.label_of(taxonomy.PRACTICES, p) for p in shared.practices[:2])
    return subjects, grades, practices


def profile_text(shared: Shared, whom: str | None = None) -> str:
    """ "Teaches Mathematics in Grade 7, like you" (or "like @ana" for `whom`)."""
    subjects, grades, practices = _labels(shared)
    like = _("like %(whom)s") % {"whom": whom} if whom else _("like you")
    if subjects and grades:
        return _("Teaches %(subjects)s in %(grades)s, %(like)s") % {
            "subjects": subjects,
            "grades": grades,
            "like": like,
        }
    if subjects or grades:
        return _("Teaches %(what)s, %(like)s") % {"what": subjects or grades, "like": like}
    if practices:
        return _("Cares about %(practices)s, %(like)s") % {"practices": practices, "like": like}
    return _("Has a profile %(like)s") % {"like": like}


def engine_text(kind: str, row: FloatArray, shared: Shared, context: str | None) -> str:
    """Words for one engine reason kind. `context` names whose network it is about when it
    is not the teacher's own (a list title: "people in Math resources")."""
    followees = int(row[COLUMN["cn"]])
    match kind:
        case "followed_by_followees" if context:
            return ngettext(
                "Followed by %(count)d account in %(context)s",
                "Followed by %(count)d accounts in %(context)s",
                followees,
            ) % {"count": followees, "context": context}
        case "followed_by_followees":
            return ngettext(
                "Followed by %(count)d person you follow",
                "Followed by %(count)d people you follow",
                followees,
            ) % {"count": followees}
        case "follows_you":
            return _("Follows you")
        case "followed_by_followers":
            count = int(row[COLUMN["in_out"]])
            return ngettext(
                "Followed by %(count)d of your followers",
                "Followed by %(count)d of your followers",
                count,
            ) % {"count": count}
        case "similar_interests":
            return _("Followed by people who follow the same accounts as you")
        case "lists":
            return _("Listed alongside people you follow")
        case "similar_profile":
            return profile_text(shared)
        case "followed_by_similar_profiles":
            return _("Followed by teachers with profiles like yours")
        case "like_your_network":
            return _("Has a profile like the people you follow")
        case _:
            return _("Widely followed on this server")


def purpose_text(
    purpose: str,
    facts: dict[str, float],
    shared: Shared,
    posted: Sequence[tuple[str, int]] = (),
) -> str:
    """Why a candidate serves a purpose, from the facts the purpose score used; `posted`,
    for `practices`: the teacher's practices the candidate posted about, as (slug, posts),
    the most posted first."""
    subjects, grades, practices = _labels(shared)
    match purpose:
        case "resources":
            count = int(facts.get("resources", 0))
            return ngettext(
                "Shared %(count)d resource or link in the last 60 days",
                "Shared %(count)d resources or links in the last 60 days",
                count,
            ) % {"count": count}
        case "inspiration":
            count = int(facts.get("followers", 0))
            return ngettext(
                "An inspiration to %(count)d educator",
                "An inspiration to %(count)d educators",
                count,
            ) % {"count": count}
        case "support":
            what = grades or subjects
            if what and facts.get("reciprocal"):
                return _("A peer in %(what)s who likes a two-way relationship") % {"what": what}
            if what:
                return _("A peer in %(what)s") % {"what": what}
            if facts.get("reciprocal"):
                return _("Likes a two-way relationship")
            return _("Follows back often")
        case "mentorship":
            years = int(facts.get("experience", 0))
            if years:
                return ngettext(
                    "Offers mentorship, with %(years)d year in the classroom",
                    "Offers mentorship, with %(years)d years in the classroom",
                    years,
                ) % {"years": years}
            return _("Offers mentorship")
        case "practices":
            return _practices_text(posted, practices)
        case _:
            return ""


def _practices_text(posted: Sequence[tuple[str, int]], listed: str) -> str:
    if posted:
        (first, count), *others = posted
        values = {
            "practice": taxonomy.label_of(taxonomy.PRACTICES, first),
            "count": count,
            "others": ", ".join(taxonomy.label_of(taxonomy.PRACTICES, s) for s, _n in others[:2]),
        }
        if others:
            return (
                ngettext(
                    "Posted about %(practice)s %(count)d time, and about %(others)s, "
                    "in the last 60 days",
                    "Posted about %(practice)s %(count)d times, and about %(others)s, "
                    "in the last 60 days",
                    count,
                )
                % values
            )
        return (
            ngettext(
                "Posted about %(practice)s %(count)d time in the last 60 days",
                "Posted about %(practice)s %(count)d times in the last 60 days",
                count,
            )
            % values
        )
    if listed:
        return _("Works on %(practices)s, like you") % {"practices": listed}
    return _("Works on practices like yours")


def learning_text(styles: list[str]) -> str:
    return _("Posts in the ways you like to learn (%(ways)s)") % {"ways": ", ".join(styles)}


def sentence(reasons: list[Reason]) -> str:
    """The one-line explanation: the two strongest reasons, joined."""
    texts = [reason.text for reason in reasons[:2] if reason.text]
    if not texts:
        return _("Widely followed on this server")
    first, *rest = texts
    return "; ".join([first, *(text[:1].lower() + text[1:] for text in rest)])


def mastodon_sources(reasons: list[Reason]) -> list[str]:
    """Mastodon's `sources` for a suggestion, from its reason kinds, strongest first."""
    found = [MASTODON_SOURCES.get(reason.kind, SIMILAR_SOURCE) for reason in reasons]
    return list(dict.fromkeys(found)) or ["most_followed"]
