"""The profile completeness guide."""

from __future__ import annotations

import pytest

from staffroom.profiles.completeness import PARTS, profile_completeness
from staffroom.profiles.models import Profile
from staffroom.profiles.professional import ProfessionalChanges, goals_update, professional_update
from staffroom.profiles.services import profile_update
from tests.factories import make_profile

pytestmark = pytest.mark.django_db


def test_profile_completeness_of_a_new_profile_lists_every_part():
    profile = make_profile("new")
    result = profile_completeness(profile)
    assert result.percent == 0
    assert [part.key for part in result.missing] == [part.key for part, _check in PARTS]
    assert not result.is_complete


def test_profile_completeness_explains_how_each_part_helps():
    result = profile_completeness(make_profile("new"))
    why = {part.key: str(part.why) for part in result.missing}
    assert why["subjects"] == "Add your subjects: colleagues filter the directory by subject."
    assert all(text.endswith(".") for text in why.values())


def test_profile_completeness_counts_what_is_filled_in():
    profile = make_profile("half", display_name="Half Way")
    professional_update(
        profile=profile, changes=ProfessionalChanges(role="coach", subjects=["math"])
    )
    result = profile_completeness(Profile.objects.get(pk=profile.pk))
    assert result.percent == round(100 * 3 / len(PARTS))
    assert "subjects" not in {part.key for part in result.missing}
    assert "grades" in {part.key for part in result.missing}


def test_profile_completeness_of_a_complete_profile():
    profile = make_profile("full", display_name="Full")
    profile_update(profile=profile, note="I teach.")
    professional_update(
        profile=profile,
        changes=ProfessionalChanges(role="teacher", subjects=["math"], grades=["g7"],
                                    practices=["sel"]),
    )  # fmt: skip
    goals_update(profile=profile, purposes=["resources"])
    Profile.objects.filter(pk=profile.pk).update(avatar="avatars/x.png")
    result = profile_completeness(Profile.objects.get(pk=profile.pk))
    assert result.percent == 100
    assert result.is_complete
