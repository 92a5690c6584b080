"""The profiles part of the demo community: every teacher's professional profile and goals.

A seeded generator over the taxonomy decides what each educator teaches and wants (a
middle-school math teacher teaches some of grades 6-8, an early-years teacher pre-K or
kindergarten, pre-service teachers have no years yet), then `demo_bios` writes a Markdown
bio from those facts. Everything is written in bulk so `staffroom demo --users 1000` stays
quick: one UPDATE per batch of profiles and one INSERT per batch of terms.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

from staffroom.accounts.models import User
from staffroom.core.demo import DemoContext, demo_part
from staffroom.core.html import render_markdown
from staffroom.profiles import taxonomy
from staffroom.profiles.demo_bios import DetailPicker, EducatorFacts, write_bio
from staffroom.profiles.models import Profile, ProfileTerm, TermKind

BATCH = 500
GRADE_ORDER = tuple(term.slug for term in taxonomy.GRADES)
LEVELS = {
    "early": ("prek", "k"),
    "primary": ("k", "g1", "g2", "g3", "g4", "g5"),
    "middle": ("g6", "g7", "g8"),
    "high": ("g9", "g10", "g11", "g12"),
}
# Subject families a specialist teaches: (weight, levels, sub-areas with the lowest level).
FAMILIES: dict[str, tuple[int, tuple[str, ...], tuple[tuple[str, str], ...]]] = {
    "math": (16, ("middle", "high"), (("algebra", "middle"), ("geometry", "middle"),
             ("statistics", "middle"), ("calculus", "high"))),
    "science": (14, ("middle", "high"), (("biology", "middle"), ("earth-science", "middle"),
                ("physics", "middle"), ("environmental-science", "middle"),
                ("chemistry", "high"))),
    "ela": (14, ("middle", "high"), (("literature", "middle"), ("writing", "middle"),
            ("reading", "middle"), ("speech-debate", "high"))),
    "social-studies": (10, ("middle", "high"), (("world-history", "middle"),
                       ("us-history", "middle"), ("geography", "middle"), ("civics", "middle"),
                       ("economics", "high"), ("psychology", "high"))),
    "world-languages": (7, ("middle", "high"), (("spanish", "middle"), ("french", "middle"),
                        ("german", "middle"), ("mandarin", "middle"), ("latin", "high"),
                        ("arabic", "middle"))),
    "arts": (6, ("primary", "middle", "high"), (("visual-arts", "primary"),
             ("music", "primary"), ("theatre", "middle"), ("dance", "primary"))),
    "computer-science": (4, ("middle", "high"), (("programming", "middle"),
                         ("digital-literacy", "middle"))),
    "engineering": (2, ("middle", "high"), (("robotics", "middle"),)),
    "physical-education": (5, ("primary", "middle", "high"), ()),
    "health": (2, ("middle", "high"), ()),
    "esl": (4, ("primary", "middle", "high"), ()),
    "career-technical": (2, ("high",), (("business", "high"), ("family-consumer", "high"))),
    "religious-education": (1, ("middle", "high"), ()),
    "philosophy": (1, ("high",), ()),
}  # fmt: skip
NEIGHBOURS = {
    "math": "computer-science", "science": "engineering", "physical-education": "health",
    "ela": "social-studies", "social-studies": "ela", "computer-science": "math",
}  # fmt: skip
LANGUAGE_OF = {"spanish": "es", "french": "fr", "german": "de", "mandarin": "zh", "arabic": "ar"}
ROLES = {"teacher": 78, "coach": 6, "librarian": 4, "school_leader": 5, "pre_service": 5,
         "other": 2}  # fmt: skip
# The spans a coach, librarian or leader works across (one or two bands each).
SPANS = (LEVELS["primary"], LEVELS["middle"], LEVELS["high"], LEVELS["middle"] + LEVELS["high"])
ROLE_SUBJECTS = {
    "coach": (("math",), ("ela", "reading"), ("science",), ("digital-literacy",), ("writing",)),
    "librarian": (("reading",), ("literature", "digital-literacy"), ("ela", "digital-literacy")),
}
ROLE_PRACTICES = {
    "coach": ("instructional-coaching", "mentoring-new-teachers", "data-informed-instruction"),
    "librarian": ("media-literacy", "literacy", "inquiry-based-learning"),
    "school_leader": ("curriculum-design", "teacher-wellbeing", "family-engagement"),
    "pre_service": ("classroom-management", "growth-mindset", "differentiation"),
    "early": ("sel", "outdoor-learning", "literacy", "family-engagement"),
    "primary": ("literacy", "numeracy", "sel", "classroom-management"),
}
# Time zones with the places a bio may name and the languages people there add to English.
TIMEZONES = {
    "America/New_York": (18, ("Baltimore", "Providence", "Rochester", "Atlanta", "Boston"), ()),
    "America/Chicago": (14, ("Milwaukee", "Austin", "St. Louis", "Minneapolis"), ("es",)),
    "America/Denver": (5, ("Boulder", "Albuquerque", "Salt Lake City"), ("es",)),
    "America/Los_Angeles": (12, ("Oakland", "Portland", "San Diego", "Tacoma"), ("es",)),
    "America/Toronto": (6, ("Toronto", "Ottawa", "Hamilton"), ("fr",)),
    "America/Mexico_City": (3, ("Mexico City", "Puebla"), ("es",)),
    "Europe/London": (8, ("Leeds", "Bristol", "Glasgow", "Cardiff"), ()),
    "Europe/Berlin": (4, ("Berlin", "Hamburg", "Leipzig"), ("de",)),
    "Europe/Paris": (3, ("Lyon", "Lille", "Nantes"), ("fr",)),
    "Africa/Nairobi": (3, ("Nairobi", "Mombasa", "Kisumu"), ("sw",)),
    "Asia/Kolkata": (4, ("Pune", "Chennai", "Jaipur"), ("hi",)),
    "Asia/Tokyo": (2, ("Osaka", "Sapporo"), ("ja",)),
    "Australia/Sydney": (5, ("Sydney", "Newcastle", "Wollongong"), ()),
    "Pacific/Auckland": (2, ("Auckland", "Wellington", "Dunedin"), ()),
}  # fmt: skip
TAGS = {
    "math": ("mtbos", "iteachmath", "thinkingclassroom"), "science": ("scichat", "ngss"),
    "ela": ("bookaday", "teachwriting"), "social-studies": ("sschat", "historyteacher"),
    "world-languages": ("langchat", "mfl"), "arts": ("arted", "musiced"),
    "computer-science": ("csforall",), "early-childhood": ("earlyed", "playbasedlearning"),
    "elementary-general": ("elemchat", "readaloud"), "esl": ("ellchat",),
    "coach": ("educoach",), "librarian": ("tlchat",), "school_leader": ("leadupchat",),
    "pre_service": ("studentteacher", "ntchat"),
    "": ("edchat", "ungrading", "sketchnotes", "teacherwellbeing", "edutooter", "satchat"),
}  # fmt: skip
# Pen names: anyone may take a general one; the others suit a subject's teachers.
PSEUDONYMS = {
    "": ("Ms. Frizzle's Apprentice", "The Caffeinated Pedagogue", "Room 12 Dispatches",
         "Chalk Dust & Daydreams", "The Reluctant Hall Monitor", "Professor Pencil",
         "The Field Trip Survivor", "Dr. Detention-Free", "The Bell Schedule Bard",
         "Sticky Note Sorcerer", "The Midnight Lesson Planner"),
    "math": ("Captain Quadratic", "The Fraction Wrangler"),
    "science": ("The Lab Coat Gremlin", "Periodic Table Pirate"),
    "ela": ("The Comma Whisperer", "Sir Reads-a-Lot", "Mx. Marginalia"),
    "social-studies": ("The Time-Travelling Historian",),
    "world-languages": ("Señorita Subjunctive", "Madame Conjugaison"),
    "arts": ("The Glitter Embargo",),
}  # fmt: skip
ALL_PSEUDONYMS = frozenset(name for names in PSEUDONYMS.values() for name in names)
PARENT = {term.slug: term.parent or term.slug for term in taxonomy.SUBJECTS}
DEMO_FACTS = EducatorFacts(
    role="teacher", subjects=("math", "algebra"), grades=("g7",),
    practices=("problem-based-learning", "formative-assessment", "differentiation",
               "retrieval-practice"),
    tags=("mtbos", "thinkingclassroom"), languages=("en", "es"), experience_years=6,
    mentorship="", timezone="America/Chicago", place="Milwaukee",
    purposes=("resources", "practices", "support"), interaction="reciprocal",
    learning=("visual", "textual"),
)  # fmt: skip


@dataclass(frozen=True)
class Hint:
    """What a handle's theme says about its teacher (accounts/demo.py's HANDLE_THEMES)."""

    role: str = ""
    family: str = ""
    sub: str = ""
    level: str = ""  # "k2", "middle" or "high"
    practice: str = ""


NO_HINT = Hint()
HINTS = {
    "math": Hint(family="math"), "science": Hint(family="science"),
    "reads": Hint(family="ela", sub="reading"), "history": Hint(family="social-studies"),
    "art": Hint(family="arts", sub="visual-arts"), "music": Hint(family="arts", sub="music"),
    "pe": Hint(family="physical-education"), "ell": Hint(family="esl"),
    "sped": Hint(practice="special-education"), "stem": Hint(family="engineering"),
    "coach": Hint(role="coach"), "library": Hint(role="librarian"), "k2": Hint(level="k2"),
    "middle": Hint(level="middle"), "hs": Hint(level="high"),
    "edtech": Hint(family="computer-science", practice="edtech"),
    "inquiry": Hint(practice="inquiry-based-learning"), "sel": Hint(practice="sel"),
    "phys": Hint(family="science", sub="physics"), "chem": Hint(family="science", sub="chemistry"),
}  # fmt: skip


def theme_of(handle: str) -> str:
    """The theme a demo handle was made from (`Rosamath`, `chem_with_Omar`), or ''."""
    # A taken handle got a number appended, but `k2` ends in a digit of its own.
    for name in (handle.lower(), handle.rstrip("0123456789").lower()):
        for theme in sorted(HINTS, key=len, reverse=True):
            if name.endswith(theme) or name.startswith(f"{theme}_with_"):
                return theme
    return ""


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


FAMILY_WEIGHTS = {family: weight for family, (weight, *_rest) in FAMILIES.items()}
TIMEZONE_WEIGHTS = {tz: weight for tz, (weight, *_rest) in TIMEZONES.items()}


def _grade_range(rng: random.Random, pool: Sequence[str], longest: int) -> tuple[str, ...]:
    """A contiguous run of 1..`longest` grades inside `pool` (one level, so one or two bands)."""
    length = rng.randint(1, min(longest, len(pool)))
    start = rng.randint(0, len(pool) - length)
    return tuple(pool[start : start + length])


def _specialist(rng: random.Random, hint: Hint) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Subjects and grades of a subject teacher (math, science, languages, PE...)."""
    rank = list(LEVELS)
    family = hint.family or _weighted(
        rng,
        {f: w for f, w in FAMILY_WEIGHTS.items() if not hint.level or hint.level in FAMILIES[f][1]},
    )
    _weight, levels, subareas = FAMILIES[family]
    lowest_for_sub = dict(subareas).get(hint.sub, "primary")
    fitting = [lv for lv in levels if rank.index(lv) >= rank.index(lowest_for_sub)]
    level = hint.level if hint.level in fitting else rng.choice(fitting)
    allowed = [
        sub
        for sub, lowest in subareas
        if rank.index(lowest) <= rank.index(level) and sub != hint.sub
    ]
    fewest = 1 if family == "world-languages" and not hint.sub else 0  # "world languages" alone
    picked = rng.sample(allowed, k=min(len(allowed), rng.randint(fewest, 2 - bool(hint.sub))))
    picked = [hint.sub, *picked] if hint.sub else picked
    subjects = [family, *picked] if not picked or rng.random() < 0.6 else picked
    if family in NEIGHBOURS and len(subjects) < 3 and rng.random() < 0.15:
        subjects.append(NEIGHBOURS[family])
    grades = LEVELS["primary"] if level == "primary" else _grade_range(rng, LEVELS[level], 4)
    return tuple(subjects), tuple(grades)


def _classroom(rng: random.Random, hint: Hint) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """A classroom teacher's (or student teacher's) subjects, grades and level."""
    if hint.family or hint.level in {"middle", "high"}:
        kind = "specialist"
    elif hint.level == "k2":
        kind = "primary"
    else:
        kind = rng.choices(("early", "primary", "specialist"), weights=(8, 26, 66))[0]
    if kind == "early":
        extra = rng.sample(("reading", "music"), k=rng.randint(0, 1))
        return ("early-childhood", *extra), _grade_range(rng, LEVELS["early"], 2), kind
    if kind == "primary":
        pool = LEVELS["primary"][:3] if hint.level == "k2" else LEVELS["primary"]
        extra = rng.sample(("reading", "math", "science", "writing"), k=rng.randint(0, 2))
        return ("elementary-general", *extra), _grade_range(rng, pool, 3), kind
    subjects, grades = _specialist(rng, hint)
    return subjects, grades, kind


def _work(
    rng: random.Random, role: str, hint: Hint
) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """Subjects, grades and a practice key for `role`."""
    match role:
        case "teacher" | "pre_service":
            return _classroom(rng, hint)
        case "coach" | "librarian":
            return rng.choice(ROLE_SUBJECTS[role]), rng.choice(SPANS), role
        case "school_leader":
            subjects, _grades = _specialist(rng, NO_HINT)
            span = rng.choice((*SPANS, LEVELS["early"]))
            return subjects[:2], span, role
        case _:
            if rng.random() < 0.5:
                return ("esl",), ("adult-ed",), role
            return rng.choice((("math",), ("science",), ("ela", "reading"))), ("higher-ed",), role


def _experience(rng: random.Random, role: str) -> int:
    match role:
        case "pre_service":
            return 0
        case "coach":
            return rng.randint(6, 25)
        case "school_leader":
            return rng.randint(10, 32)
        case _:
            low, high = rng.choices(((1, 3), (4, 10), (11, 20), (21, 35)), (25, 35, 28, 12))[0]
            return rng.randint(low, high)


def _mentorship(rng: random.Random, role: str, years: int) -> str:
    if role == "pre_service":
        return "seeking" if rng.random() < 0.7 else ""
    if years <= 3:
        return "seeking" if rng.random() < 0.4 else ""
    if years >= 10:
        return "offering" if rng.random() < (0.5 if role == "coach" else 0.3) else ""
    return ""


def _languages(rng: random.Random, subjects: Sequence[str], local: Sequence[str]) -> list[str]:
    languages = ["en"] if rng.random() < 0.92 else []
    languages += [LANGUAGE_OF[s] for s in subjects if s in LANGUAGE_OF]
    if local and rng.random() < 0.5:
        languages.append(local[0])
    return list(dict.fromkeys(languages)) or [local[0] if local else "en"]


def _goals(rng: random.Random, mentorship: str) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
    purposes = ["resources", "practices", "inspiration", "support"]
    chosen = rng.sample(purposes, k=rng.randint(1, 2))
    if mentorship == "seeking" or rng.random() < 0.1:
        chosen.append("mentorship")
    interaction = "quiet" if rng.random() < 0.3 else "reciprocal"
    learning = rng.sample(("visual", "auditory", "textual"), k=rng.randint(1, 2))
    return tuple(chosen[:3]), interaction, tuple(learning)


def _role(rng: random.Random, hint: Hint) -> str:
    if hint.role:
        return hint.role
    if hint.family or hint.level:
        return rng.choices(("teacher", "pre_service"), weights=(92, 8))[0]
    return _weighted(rng, ROLES)


def educator_facts(rng: random.Random, theme: str = "") -> EducatorFacts:
    """One coherent educator: role, what and whom they teach, practices, goals, place.

    `theme` is what the handle says (`Kwamechem`, `math_with_Rosa`; see `theme_of`): a
    chemistry teacher, a math teacher, a librarian...
    """
    hint = HINTS.get(theme, NO_HINT)
    role = _role(rng, hint)
    subjects, grades, key = _work(rng, role, hint)
    focus = [*ROLE_PRACTICES.get(key, ())]
    if role == "teacher" and (hint.practice == "special-education" or rng.random() < 0.1):
        focus = ["special-education", "inclusion", "udl"]
    elif hint.practice:
        focus = [hint.practice]
    count = rng.randint(2, 5)
    first = rng.sample(focus, k=min(len(focus), rng.randint(1, 2))) if focus else []
    others = [term.slug for term in taxonomy.PRACTICES if term.slug not in first]
    practices = first + rng.sample(others, k=max(0, count - len(first)))
    years = _experience(rng, role)
    mentorship = _mentorship(rng, role, years)
    tz = _weighted(rng, TIMEZONE_WEIGHTS)
    _weight, places, local = TIMEZONES[tz]
    tag_pool = sorted(
        {*TAGS[""], *TAGS.get(role, ()), *(t for s in subjects for t in TAGS.get(s, ()))}
    )
    purposes, interaction, learning = _goals(rng, mentorship)
    return EducatorFacts(
        role=role, subjects=subjects, grades=tuple(taxonomy.sort_grades(grades)),
        practices=tuple(practices), tags=tuple(rng.sample(tag_pool, k=rng.randint(0, 3))),
        languages=tuple(_languages(rng, subjects, local)), experience_years=years,
        mentorship=mentorship, timezone=tz, place=rng.choice(places), purposes=purposes,
        interaction=interaction, learning=learning,
    )  # fmt: skip


def _pseudonym(rng: random.Random, subjects: Sequence[str]) -> str:
    families = dict.fromkeys(["", *(PARENT[slug] for slug in subjects)])
    return rng.choice([name for family in families for name in PSEUDONYMS.get(family, ())])


def _apply(profile: Profile, facts: EducatorFacts, bio: str) -> list[ProfileTerm]:
    """Set the profile's fields (not saved) and return its term rows (not inserted)."""
    profile.role, profile.experience_years = facts.role, facts.experience_years
    profile.mentorship, profile.timezone = facts.mentorship, facts.timezone
    profile.goal_purposes, profile.learning_styles = list(facts.purposes), list(facts.learning)
    profile.interaction_style = facts.interaction
    profile.note, profile.note_html = bio, render_markdown(bio)
    profile.onboarded_at = timezone.now()
    kinds = (
        (TermKind.SUBJECT, facts.subjects), (TermKind.GRADE, facts.grades),
        (TermKind.PRACTICE, facts.practices), (TermKind.TAG, facts.tags),
        (TermKind.LANGUAGE, facts.languages),
    )  # fmt: skip
    return [ProfileTerm(profile=profile, kind=k, value=v) for k, values in kinds for v in values]


FIELDS = (
    "role", "experience_years", "mentorship", "timezone", "goal_purposes", "learning_styles",
    "interaction_style", "note", "note_html", "onboarded_at", "display_name", "is_locked",
    "is_away",
)  # fmt: skip


@demo_part(order=20, name="profiles")
def demo_profiles(context: DemoContext) -> None:
    """Every demo teacher's professional profile, goals and bio, written in bulk.

    `demo` is a grade 7 math teacher with goals set; about one teacher in twelve goes by a
    pseudonym (half of those locked), one in twenty is away. Everyone is onboarded.
    """
    rng = context.rng
    users: list[User] = [*context.get("demo_user"), *context.get("teachers")]
    profiles = list(Profile.objects.filter(user__in=users))
    by_user = {profile.user_id: profile for profile in profiles}
    ordered = [by_user[user.pk] for user in users]
    paused = min(len(ordered) - 1, max(1, round(len(ordered) * 0.05)))  # never `demo`
    away = set(rng.sample(range(1, len(ordered)), k=paused))
    details = DetailPicker(rng)
    terms: list[ProfileTerm] = []
    for index, profile in enumerate(ordered):
        facts = (
            DEMO_FACTS
            if profile.handle == "demo"
            else educator_facts(rng, theme_of(profile.handle))
        )
        terms += _apply(profile, facts, write_bio(rng, facts, details.pick()))
        profile.is_away = index in away
        if index and rng.random() < 1 / 12:
            profile.display_name = _pseudonym(rng, facts.subjects)
            profile.is_locked = profile.is_locked or rng.random() < 0.5
    # Django's bulk_update builds a CASE per field and row, slower here than one plain UPDATE
    # per profile (all inside the demo's one transaction).
    for profile in ordered:
        Profile.objects.filter(pk=profile.pk).update(**{f: getattr(profile, f) for f in FIELDS})
    ProfileTerm.objects.bulk_create(terms, batch_size=BATCH)
    context.bulk_loaded(Profile, ProfileTerm)
    context.add("profiles", ordered)
    context.log(f"demo: {len(ordered)} professional profiles, {len(away)} away")
