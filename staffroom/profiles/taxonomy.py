"""The curated taxonomy of teaching: roles, subjects, grades and bands, practices.

Every term has a stable slug (stored and sent over the API; never renamed) and a
translatable label. Filters accept a single grade or a band: `grades_matching("6-8")` is
{"g6", "g7", "g8"}. The lists are data, so adding a term is one line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Term:
    slug: str
    label: str | Promise
    parent: str = ""  # for a sub-area: the slug of its subject


ROLES = (
    Term("teacher", _("Teacher")),
    Term("coach", _("Instructional coach")),
    Term("librarian", _("Librarian / media specialist")),
    Term("school_leader", _("School leader")),
    Term("pre_service", _("Pre-service teacher")),
    Term("other", _("Other educator")),
)


def _subject(slug: str, label: Promise | str, *subareas: tuple[str, Promise | str]) -> list[Term]:
    return [Term(slug, label), *(Term(sub, sub_label, slug) for sub, sub_label in subareas)]


SUBJECTS: tuple[Term, ...] = tuple(
    _subject("math", _("Mathematics"),
             ("algebra", _("Algebra")), ("geometry", _("Geometry")),
             ("calculus", _("Calculus")), ("statistics", _("Statistics and probability")))
    + _subject("science", _("Science"),
               ("biology", _("Biology")), ("chemistry", _("Chemistry")),
               ("physics", _("Physics")), ("earth-science", _("Earth and space science")),
               ("environmental-science", _("Environmental science")))
    + _subject("ela", _("English language arts"),
               ("literature", _("Literature")), ("writing", _("Writing")),
               ("reading", _("Reading")), ("speech-debate", _("Speech and debate")))
    + _subject("social-studies", _("Social studies"),
               ("world-history", _("World history")), ("us-history", _("U.S. history")),
               ("civics", _("Civics and government")), ("geography", _("Geography")),
               ("economics", _("Economics")), ("psychology", _("Psychology")))
    + _subject("world-languages", _("World languages"),
               ("spanish", _("Spanish")), ("french", _("French")), ("german", _("German")),
               ("mandarin", _("Mandarin Chinese")), ("latin", _("Latin")),
               ("arabic", _("Arabic")))
    + _subject("arts", _("The arts"),
               ("visual-arts", _("Visual arts")), ("music", _("Music")),
               ("theatre", _("Theatre and drama")), ("dance", _("Dance")))
    + _subject("computer-science", _("Computer science"),
               ("programming", _("Programming")), ("digital-literacy", _("Digital literacy")))
    + _subject("engineering", _("Engineering and design"),
               ("robotics", _("Robotics")))
    + _subject("physical-education", _("Physical education"))
    + _subject("health", _("Health education"))
    + _subject("esl", _("English as an additional language"))
    + _subject("career-technical", _("Career and technical education"),
               ("business", _("Business")), ("family-consumer", _("Family and consumer science")))
    + _subject("early-childhood", _("Early childhood (all areas)"))
    + _subject("elementary-general", _("Elementary (all subjects)"))
    + _subject("religious-education", _("Religious education"))
    + _subject("philosophy", _("Philosophy"))
)  # fmt: skip

GRADES = (
    Term("prek", _("Pre-K")),
    Term("k", _("Kindergarten")),
    *(Term(f"g{n}", _("Grade %(n)d") % {"n": n}) for n in range(1, 13)),
    Term("higher-ed", _("Higher education")),
    Term("adult-ed", _("Adult education")),
)

# Bands group single grades; a filter may name a band or a grade.
BANDS: dict[str, tuple[str | Promise, tuple[str, ...]]] = {
    "early-years": (_("Early years"), ("prek",)),
    "k-2": (_("K-2"), ("k", "g1", "g2")),
    "3-5": (_("Grades 3-5"), ("g3", "g4", "g5")),
    "6-8": (_("Grades 6-8"), ("g6", "g7", "g8")),
    "9-12": (_("Grades 9-12"), ("g9", "g10", "g11", "g12")),
    "higher": (_("Higher education"), ("higher-ed",)),
    "adult": (_("Adult education"), ("adult-ed",)),
}

PRACTICES = tuple(
    Term(slug, label)
    for slug, label in (
        ("inquiry-based-learning", _("Inquiry-based learning")),
        ("project-based-learning", _("Project-based learning")),
        ("problem-based-learning", _("Problem-based learning")),
        ("classroom-management", _("Classroom management")),
        ("literacy", _("Literacy")),
        ("numeracy", _("Numeracy")),
        ("sel", _("Social-emotional learning")),
        ("assessment", _("Assessment")),
        ("formative-assessment", _("Formative assessment")),
        ("standards-based-grading", _("Standards-based grading")),
        ("differentiation", _("Differentiation")),
        ("special-education", _("Special education")),
        ("inclusion", _("Inclusion")),
        ("english-learners", _("English learners")),
        ("edtech", _("Educational technology")),
        ("blended-learning", _("Blended learning")),
        ("flipped-classroom", _("Flipped classroom")),
        ("udl", _("Universal design for learning")),
        ("culturally-responsive-teaching", _("Culturally responsive teaching")),
        ("restorative-practices", _("Restorative practices")),
        ("trauma-informed-teaching", _("Trauma-informed teaching")),
        ("growth-mindset", _("Growth mindset")),
        ("cooperative-learning", _("Cooperative learning")),
        ("direct-instruction", _("Explicit instruction")),
        ("retrieval-practice", _("Retrieval practice")),
        ("metacognition", _("Metacognition")),
        ("questioning", _("Questioning and discussion")),
        ("feedback", _("Feedback")),
        ("gamification", _("Game-based learning")),
        ("outdoor-learning", _("Outdoor learning")),
        ("stem-integration", _("STEM integration")),
        ("steam", _("STEAM")),
        ("maker-education", _("Maker education")),
        ("service-learning", _("Service learning")),
        ("gifted-education", _("Gifted education")),
        ("behavior-support", _("Positive behavior support")),
        ("family-engagement", _("Family engagement")),
        ("instructional-coaching", _("Instructional coaching")),
        ("curriculum-design", _("Curriculum design")),
        ("data-informed-instruction", _("Data-informed instruction")),
        ("media-literacy", _("Media literacy")),
        ("ai-in-education", _("AI in education")),
        ("mentoring-new-teachers", _("Mentoring new teachers")),
        ("teacher-wellbeing", _("Teacher wellbeing")),
    )
)

LANGUAGES = tuple(
    Term(code, label)
    for code, label in (
        ("en", _("English")), ("es", _("Spanish")), ("fr", _("French")), ("de", _("German")),
        ("pt", _("Portuguese")), ("it", _("Italian")), ("nl", _("Dutch")), ("zh", _("Chinese")),
        ("ja", _("Japanese")), ("ko", _("Korean")), ("ar", _("Arabic")), ("hi", _("Hindi")),
        ("sw", _("Swahili")), ("tr", _("Turkish")), ("pl", _("Polish")), ("uk", _("Ukrainian")),
    )
)  # fmt: skip

SUBJECT_SLUGS = frozenset(term.slug for term in SUBJECTS)
GRADE_SLUGS = frozenset(term.slug for term in GRADES)
PRACTICE_SLUGS = frozenset(term.slug for term in PRACTICES)
ROLE_SLUGS = frozenset(term.slug for term in ROLES)
LANGUAGE_SLUGS = frozenset(term.slug for term in LANGUAGES)
_GRADE_ORDER = {term.slug: index for index, term in enumerate(GRADES)}


def grades_matching(slug: str) -> frozenset[str]:
    """The single grades a filter value names: a band's grades, or the grade itself."""
    if slug in BANDS:
        return frozenset(BANDS[slug][1])
    return frozenset({slug}) if slug in GRADE_SLUGS else frozenset()


def bands_of(grades: Iterable[str]) -> list[str]:
    """The bands that contain any of `grades`, in school order."""
    chosen = set(grades)
    return [band for band, (_label, members) in BANDS.items() if chosen & set(members)]


def sort_grades(grades: Iterable[str]) -> list[str]:
    return sorted(set(grades), key=lambda slug: _GRADE_ORDER.get(slug, 99))


def label_of(terms: Iterable[Term], slug: str) -> str:
    for term in terms:
        if term.slug == slug:
            return str(term.label)
    return slug


def taxonomy_document() -> dict[str, object]:
    """The whole taxonomy for `GET /api/v1/pln/taxonomy` and the profile forms."""

    def terms(items: Iterable[Term]) -> list[dict[str, str]]:
        return [
            {"slug": t.slug, "label": str(t.label), **({"parent": t.parent} if t.parent else {})}
            for t in items
        ]

    return {
        "roles": terms(ROLES),
        "subjects": terms(SUBJECTS),
        "grades": terms(GRADES),
        "grade_bands": [
            {"slug": slug, "label": str(label), "grades": list(members)}
            for slug, (label, members) in BANDS.items()
        ],
        "practices": terms(PRACTICES),
        "languages": terms(LANGUAGES),
    }
