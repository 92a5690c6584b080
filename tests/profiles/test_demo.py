import random
import re
from collections import Counter
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import transaction

from staffroom.accounts.models import User
from staffroom.core.demo import DemoContext, demo_parts
from staffroom.profiles import taxonomy
from staffroom.profiles.demo import ALL_PSEUDONYMS, educator_facts, theme_of
from staffroom.profiles.demo_bios import DetailPicker, write_bio
from staffroom.profiles.models import Profile, ProfileTerm, TermKind
from tests.conftest import Shared, built_once

GRADE_INDEX = {term.slug: index for index, term in enumerate(taxonomy.GRADES)}
PARENT = {term.slug: term.parent for term in taxonomy.SUBJECTS}
# The parts that make the teachers and their profiles (bios are written by "profiles" alone).
PROFILE_PARTS = {"accounts", "profiles"}


def _community(users: int, seed: int, parts: set[str] | None = None) -> list[Profile]:
    """The demo's teachers; with `parts`, only those parts of the demo are built (in the
    order and with the random generator `build_demo` gives them)."""
    if parts is None:
        call_command("demo", "--users", str(users), "--seed", str(seed))
    else:
        _build_parts(users, seed, parts)
    return _teachers()


def _teachers() -> list[Profile]:
    return list(
        Profile.objects.filter(user__email__endswith="@demo.staffroom.example")
        .exclude(handle__in=["demo_admin", "demo_moderator"])  # staff, not the community
        .filter(user__approval="approved")
        .prefetch_related("terms")
        .order_by("handle")
    )


def _build_parts(users: int, seed: int, names: set[str]) -> None:
    context = DemoContext(rng=random.Random(seed), users=users, seed=seed, log=_quiet)  # noqa: S311
    chosen = [part for part in demo_parts() if part.name in names]
    assert {part.name for part in chosen} == names
    last = max(part.order for part in chosen)
    # Only a prefix of the demo draws the same numbers as the whole demo does.
    assert [part.name for part in demo_parts() if part.order <= last] == [
        part.name for part in chosen
    ]
    with transaction.atomic():
        for part in chosen:
            part.func(context)


def _quiet(_line: str) -> None:
    """The demo's progress lines are not wanted in test output."""


def _terms(profile: Profile) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {kind: [] for kind in TermKind.values}
    for term in profile.terms.all():
        found[term.kind].append(term.value)
    return {kind: sorted(values) for kind, values in found.items()}


def _snapshot() -> list[tuple[object, ...]]:
    rows = Profile.objects.order_by("handle").values_list(
        "handle", "display_name", "note", "role", "experience_years", "mentorship", "is_away"
    )
    terms = ProfileTerm.objects.order_by("profile__handle", "kind", "value").values_list(
        "profile__handle", "kind", "value"
    )
    return [*rows, *terms]


def _is_contiguous(grades: list[str]) -> bool:
    positions = sorted(GRADE_INDEX[grade] for grade in grades)
    return positions == list(range(positions[0], positions[-1] + 1))


def test_demo_theme_of_reads_the_handle_patterns():
    assert theme_of("Rosamath") == "math"
    assert theme_of("chem_with_Omar") == "chem"
    assert theme_of("Okaforlibrary12") == "library"
    assert theme_of("Jiak2") == "k2"
    assert theme_of("Jonah_Mwangi") == ""


def test_demo_bios_are_unique_across_a_thousand_educators():
    rng = random.Random(2024)  # noqa: S311
    details = DetailPicker(rng)
    bios = [write_bio(rng, educator_facts(rng), details.pick()) for _ in range(1000)]
    assert len(set(bios)) == 1000
    # Not only the numbers differ: most bios share no sentence-level skeleton.
    skeletons = {re.sub(r"\d+", "#", bio) for bio in bios}
    assert len(skeletons) > 990


def test_demo_educators_are_coherent_over_many_draws():
    rng = random.Random(99)  # noqa: S311
    facts = [educator_facts(rng) for _ in range(2000)]
    for fact in facts:
        assert fact.grades
        assert fact.subjects
        assert _is_contiguous(list(fact.grades))
        if fact.role == "school_leader":
            assert fact.experience_years >= 10
        if "adult-ed" in fact.grades or "higher-ed" in fact.grades:
            assert len(fact.grades) == 1
    middle_math = [
        f
        for f in facts
        if f.role == "teacher" and {"math", "algebra"} & set(f.subjects) and "g7" in f.grades
    ]
    assert middle_math
    for fact in middle_math:
        assert set(fact.grades) <= {"g6", "g7", "g8"}


@pytest.mark.django_db
def test_demo_same_seed_same_community_other_seed_another():
    _community(40, 11)
    first = _snapshot()
    User.objects.all().delete()
    _community(40, 11)
    assert _snapshot() == first
    User.objects.all().delete()
    _community(40, 12)
    assert _snapshot() != first


@pytest.mark.django_db
def test_demo_thousand_users_have_unique_bios():
    profiles = _community(1000, 3, parts=PROFILE_PARTS)
    assert len(profiles) > 900
    assert len({profile.note for profile in profiles}) == len(profiles)


# The tests below only read one community of 300, built once for them all; it stays until
# the module's last test, so a test that builds its own must come before them.


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker) -> Iterator[Shared[None]]:
    def build() -> None:
        call_command("demo", "--users", "300", "--seed", "7")

    yield from built_once(django_db_blocker, build)


@pytest.fixture
def community_300(built: Shared[None], db) -> list[Profile]:
    built.for_test()
    return _teachers()


def test_demo_profiles_are_coherent_for_every_teacher(community_300):
    profiles = community_300
    assert len(profiles) > 250
    for profile in profiles:
        terms = _terms(profile)
        assert terms["subject"], profile.handle
        assert set(terms["subject"]) <= taxonomy.SUBJECT_SLUGS
        assert terms["grade"], profile.handle
        assert _is_contiguous(terms["grade"]), (profile.handle, terms["grade"])
        assert 1 <= len(taxonomy.bands_of(terms["grade"])) <= 2, terms["grade"]
        assert 2 <= len(terms["practice"]) <= 5
        assert set(terms["practice"]) <= taxonomy.PRACTICE_SLUGS
        assert len(terms["tag"]) <= 3
        assert terms["language"]
        assert profile.role in taxonomy.ROLE_SLUGS
        assert profile.timezone
        assert 1 <= len(profile.goal_purposes) <= 3
        assert profile.interaction_style in {"reciprocal", "quiet"}
        assert 1 <= len(profile.learning_styles) <= 2
        assert profile.onboarded_at is not None
        years = profile.experience_years
        assert years is not None
        if profile.role == "pre_service":
            assert years == 0
            assert profile.mentorship != "offering"
        if profile.role in {"coach", "school_leader"}:
            assert years >= 6
        if profile.mentorship == "offering":
            assert years >= 10
        if profile.mentorship == "seeking":
            assert years <= 3
        if "calculus" in terms["subject"]:  # no calculus in grade 3
            assert min(GRADE_INDEX[g] for g in terms["grade"]) >= GRADE_INDEX["g9"]
        if "early-childhood" in terms["subject"]:
            assert set(terms["grade"]) <= {"prek", "k"}


def test_demo_profiles_mix_roles_privacy_and_pseudonyms(community_300):
    profiles = community_300
    roles = Counter(profile.role for profile in profiles)
    assert roles["teacher"] > len(profiles) * 0.6
    assert {"coach", "librarian", "school_leader", "pre_service"} <= set(roles)
    away = sum(profile.is_away for profile in profiles)
    assert 0.03 <= away / len(profiles) <= 0.08
    assert any(profile.is_locked for profile in profiles)
    pseudonymous = [profile for profile in profiles if profile.display_name in ALL_PSEUDONYMS]
    assert 0 < len(pseudonymous) < len(profiles) * 0.2
    assert any(profile.is_locked for profile in pseudonymous)
    mentorship = Counter(profile.mentorship for profile in profiles)
    assert mentorship[""] > mentorship["offering"] > 0
    assert mentorship["seeking"] > 0


def test_demo_profiles_match_what_the_handle_says(community_300):
    themed: dict[str, list[Profile]] = {}
    for profile in community_300:
        themed.setdefault(theme_of(profile.handle), []).append(profile)
    assert {"chem", "library", "coach", "k2", "math"} <= set(themed)
    for profile in themed["chem"]:
        assert "chemistry" in _terms(profile)["subject"]
        assert set(_terms(profile)["grade"]) <= {"g9", "g10", "g11", "g12"}
    assert {profile.role for profile in themed["library"]} == {"librarian"}
    assert {profile.role for profile in themed["coach"]} == {"coach"}
    for profile in themed["k2"]:
        assert set(_terms(profile)["grade"]) <= {"k", "g1", "g2"}
    for profile in themed["math"]:
        assert {"math", "algebra", "geometry", "statistics", "calculus"} & set(
            _terms(profile)["subject"]
        )


def test_demo_account_is_an_onboarded_grade_7_math_teacher(community_300):
    demo = Profile.objects.prefetch_related("terms").get(handle="demo")
    terms = _terms(demo)
    assert demo.role == "teacher"
    assert "math" in terms["subject"]
    assert terms["grade"] == ["g7"]
    assert demo.goal_purposes
    assert demo.interaction_style == "reciprocal"
    assert demo.learning_styles
    assert demo.onboarded_at is not None
    assert not demo.is_away
    assert "grade 7" in demo.note


def test_demo_bios_are_sanitized_markdown_about_the_teachers_own_work(community_300):
    for profile in community_300:
        assert profile.note_html.startswith("<p>"), profile.note_html
        assert "&lt;" not in profile.note_html
        assert "**" not in profile.note_html
        assert "<strong>" in profile.note_html
        assert not re.search(r"\{[a-zA-Z]*\}", profile.note)  # no unfilled slot
        grades = _terms(profile)["grade"]
        if len(grades) == 1 and grades[0].startswith("g"):
            assert f"grade {grades[0][1:]}" in profile.note.lower()
