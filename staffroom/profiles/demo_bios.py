"""Bios for the demo community: phrase banks, and the assembly of one bio from them.

A bio is several independent slots (an opening, a sentence about the actual subjects and
grades, one about practices, a personal detail, what the teacher wants from the PLN), so
two teachers rarely share more than a sentence. The personal detail carries a number, and
each (detail, number) pair is handed out once (`DetailPicker`): no two bios are ever equal,
whatever the size of the community.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import translation

from staffroom.profiles import taxonomy


@dataclass(frozen=True)
class EducatorFacts:
    """What the generator decided about one educator; the bio is written from these."""

    role: str
    subjects: tuple[str, ...]
    grades: tuple[str, ...]
    practices: tuple[str, ...]
    tags: tuple[str, ...]
    languages: tuple[str, ...]
    experience_years: int
    mentorship: str
    timezone: str
    place: str
    purposes: tuple[str, ...]
    interaction: str
    learning: tuple[str, ...]


# How a subject reads inside a sentence (the taxonomy's labels are titles).
SUBJECT_NOUNS = {
    "math": "math", "ela": "English language arts", "social-studies": "social studies",
    "world-languages": "world languages", "arts": "the arts", "esl": "English as an additional "
    "language", "us-history": "U.S. history", "early-childhood": "early childhood",
    "elementary-general": "every subject of the elementary day", "statistics": "statistics",
    "earth-science": "earth and space science", "civics": "civics",
    "computer-science": "computer science", "engineering": "engineering and design",
    "career-technical": "career and technical education", "family-consumer":
    "family and consumer science", "spanish": "Spanish", "french": "French",
    "german": "German", "mandarin": "Mandarin", "latin": "Latin", "arabic": "Arabic",
}  # fmt: skip
PRACTICE_NOUNS = {
    "sel": "social-emotional learning", "udl": "universal design for learning (UDL)",
    "steam": "STEAM", "stem-integration": "STEM integration", "edtech": "edtech",
    "ai-in-education": "AI in education", "english-learners": "supporting English learners",
    "direct-instruction": "explicit instruction",
}  # fmt: skip
PURPOSE_NOUNS = {
    "resources": "classroom-ready resources",
    "practices": "best practices that survive a Monday",
    "inspiration": "a regular spark of inspiration",
    "support": "moral support from people who get it",
    "mentorship": "mentoring",
}

OPENINGS = (
    "Hello from {place}!", "Waving from {place}.", "Proudly working in {place} schools.",
    "Writing from a busy corner of {place}.", "Coffee first, then the {place} bell schedule.",
    "Educator in {place}.", "Greetings from {place}, where the copier is always jammed.",
    "Based in {place}.", "{place} is home.", "Somewhere in {place}, planning tomorrow.",
    "Hi! I'm in {place}.", "Reporting for duty from {place}.",
)  # fmt: skip
ROLE_SENTENCES = {
    "teacher": (
        "I teach **{subjects}** in {grades}, {years}.",
        "**{Grades} {subjects}** teacher, {years}.",
        "These days you'll find me teaching **{subjects}** in {grades} ({years}).",
        "My classroom: {grades}, **{subjects}**, and a lot of sticky notes; {years}.",
    ),
    "coach": (
        "Instructional coach for **{subjects}**, working with {grades} teams, {years} in.",
        "I coach teachers of **{subjects}** across {grades}; {years} in education.",
    ),
    "librarian": (
        "I run the library for {grades}, with a soft spot for **{subjects}** ({years}).",
        "School librarian for {grades}: **{subjects}**, makerspace and quiet corners; {years}.",
    ),
    "school_leader": (
        "I lead a school serving {grades}; I started out teaching **{subjects}**. {Years}.",
        "Principal for {grades}, former **{subjects}** teacher, {years} in schools.",
    ),
    "pre_service": (
        "Student teacher in **{subjects}**, placed in {grades} this year.",
        "Pre-service teacher learning to teach **{subjects}** in {grades}.",
    ),
    "other": (
        "I work with {grades} students on **{subjects}**, {years}.",
        "Educator in {grades}: **{subjects}**, {years}.",
    ),
}
PRACTICE_SENTENCES = (
    "Lately I'm digging into {a} and {b}.", "Ask me about {list}.",
    "My teaching runs on {a}, with a healthy dose of {b}.",
    "Currently reading everything I can about {a}.", "Big believer in {list}.",
    "Still learning about {a}; happy to share what works in {b}.",
    "Interested in {list}.", "I care a lot about {a} and {b}.",
)  # fmt: skip
# The personal detail: a template with a number, and the numbers it may take.
DETAILS: tuple[tuple[str, int, int], ...] = (
    ("My classroom library holds {n} books and counting.", 120, 2400),
    ("I have kept {n} houseplants alive, mostly.", 3, 60),
    ("Field trips so far: {n}, students lost: zero.", 4, 300),
    ("I have baked {n} loaves of sourdough since 2020.", 5, 500),
    ("My commute is {n} minutes by bike, rain or shine.", 4, 55),
    ("I once graded {n} essays in a single weekend.", 30, 140),
    ("Proud owner of {n} dry-erase markers, {m} of which still work.", 12, 300),
    ("I have run {n} half marathons, slowly.", 1, 40),
    ("Our robotics team has built {n} robots and broken most of them.", 3, 120),
    ("I have read {n} picture books aloud this year.", 20, 700),
    ("Room {n} is the one with the plants and the good chairs.", 100, 460),
    ("My record: {n} parent conferences in one evening.", 10, 48),
    ("I collect vintage maps: {n} so far.", 5, 400),
    ("I have taught {n} students to juggle at lunch.", 6, 250),
    ("I play the cello in a community orchestra ({n} concerts so far).", 2, 90),
    ("I knit a scarf every school year; the current one is {n} cm long.", 10, 240),
    ("Our class garden grew {n} tomatoes last spring.", 10, 900),
    ("I have made {n} escape-room lessons; ask me for one.", 2, 120),
    ("My chess club has {n} members and one very competitive goldfish.", 4, 80),
    ("I have climbed {n} peaks on school holidays.", 1, 70),
    ("My podcast queue is {n} episodes long and growing.", 15, 900),
    ("I have walked {n} km of hallway duty this term, by my watch.", 20, 400),
    ("I own {n} science-pun T-shirts and wear them without shame.", 3, 90),
    ("I have hosted {n} family game nights at school.", 2, 60),
    ("Our class pen pals live {n} km away.", 150, 16000),
    ("I have written {n} pages of a novel I will finish one summer.", 10, 600),
    ("I bake for staff meetings: {n} batches of cookies and counting.", 5, 400),
    ("I taught in {n} different classrooms before this one.", 2, 14),
    ("My students have sent {n} letters to local newspapers.", 3, 150),
    ("I photograph clouds: {n} in the archive.", 40, 5000),
)
GOAL_SENTENCES = (
    "*Here for:* {purposes}.", "On Staffroom for {purposes}.", "Looking for {purposes}.",
    "What I want from my PLN: {purposes}.", "Hoping to find {purposes} here.",
)  # fmt: skip
INTERACTION_TAILS = {
    "reciprocal": (
        "Always up for swapping ideas.",
        "Messages open; let's plan something together.",
        "I reply to everything, eventually.",
        "Share yours and I'll share mine.",
    ),
    "quiet": (
        "Mostly a quiet reader, but I read everything.",
        "I lurk, I learn, I say thanks.",
        "Quiet follower, grateful listener.",
    ),
    "": ("",),
}
MENTORSHIP_SENTENCES = {
    "offering": (
        "Happy to mentor new teachers.",
        "New to teaching? My inbox is open.",
        "I mentor early-career colleagues and love it.",
    ),
    "seeking": (
        "Looking for a mentor who has been there.",
        "Would love a mentor in my subject.",
        "New here and seeking a mentor.",
    ),
    "": ("",),
}
TAG_SENTENCES = ("Find me in {tags}.", "Usually in {tags}.", "Tags I follow: {tags}.")


def human_list(items: Sequence[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def subject_phrase(subjects: Sequence[str]) -> str:
    nouns = [
        SUBJECT_NOUNS.get(slug) or taxonomy.label_of(taxonomy.SUBJECTS, slug).lower()
        for slug in subjects
    ]
    return human_list(nouns)


def grade_phrase(grades: Sequence[str]) -> str:
    """`grade 7`, `grades 6-8`, `pre-K and kindergarten`, `kindergarten to grade 2`..."""
    ordered = taxonomy.sort_grades(grades)
    names = {"prek": "pre-K", "k": "kindergarten", "higher-ed": "higher education"}
    names["adult-ed"] = "adult education"
    first, last = ordered[0], ordered[-1]
    if first == last:
        return names.get(first) or f"grade {first[1:]}"
    if first in names and last in names:
        return f"{names[first]} and {names[last]}"
    if first in names:
        return f"{names[first]} to grade {last[1:]}"
    return f"grades {first[1:]}-{last[1:]}"


def _years_phrase(role: str, years: int) -> str:
    if role == "pre_service" or years == 0:
        return "still in training"
    if years == 1:
        return "in my first year"
    suffix = "th" if 10 <= years % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(years % 10, "th")
    return f"in my {years}{suffix} year"


def _practice_noun(slug: str) -> str:
    return PRACTICE_NOUNS.get(slug) or taxonomy.label_of(taxonomy.PRACTICES, slug).lower()


class DetailPicker:
    """Hands out personal details so that no two are the same (hence no two bios)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[tuple[int, int]] = set()

    def pick(self) -> str:
        while True:
            index = self.rng.randrange(len(DETAILS))
            template, low, high = DETAILS[index]
            number = self.rng.randint(low, high)
            if (index, number) not in self.used:
                self.used.add((index, number))
                return template.format(n=number, m=max(1, number // self.rng.randint(3, 9)))


def write_bio(rng: random.Random, facts: EducatorFacts, detail: str) -> str:
    """One Markdown bio in three short paragraphs, from the facts and a unique detail."""
    with translation.override("en"):
        subjects, grades = subject_phrase(facts.subjects), grade_phrase(facts.grades)
        practices = [_practice_noun(slug) for slug in facts.practices[:3]]
    years = _years_phrase(facts.role, facts.experience_years)
    role = rng.choice(ROLE_SENTENCES[facts.role]).format(
        subjects=subjects,
        grades=grades,
        Grades=grades[:1].upper() + grades[1:],
        years=years,
        Years=years[:1].upper() + years[1:],
    )
    opening = rng.choice(OPENINGS).format(place=facts.place)
    practice = rng.choice(PRACTICE_SENTENCES).format(
        a=practices[0], b=practices[1], list=human_list(practices)
    )
    purposes = human_list([PURPOSE_NOUNS[p] for p in facts.purposes])
    closing = [
        rng.choice(GOAL_SENTENCES).format(purposes=purposes),
        rng.choice(INTERACTION_TAILS[facts.interaction]),
        rng.choice(MENTORSHIP_SENTENCES[facts.mentorship]),
    ]
    if facts.tags and rng.random() < 0.6:
        hashtags = human_list([f"#{tag}" for tag in facts.tags])
        closing.append(rng.choice(TAG_SENTENCES).format(tags=hashtags))
    paragraphs = [f"{opening} {role}", f"{practice} {detail}", " ".join(s for s in closing if s)]
    return "\n\n".join(paragraphs)
