"""`terms_load` reads many profiles' terms in one query as plain values; `profile_terms`
gives the same answer from them as from the rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import prefetch_related_objects
from django.test.utils import CaptureQueriesContext

from staffroom.profiles.models import Profile
from staffroom.profiles.professional import (
    ProfessionalChanges,
    professional_update,
    profile_terms,
    terms_load,
)
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _teacher(handle: str, **changes: object) -> Profile:
    profile = make_user(handle=handle).profile
    professional_update(profile=profile, changes=ProfessionalChanges(**changes))  # type: ignore[arg-type]
    return Profile.objects.get(pk=profile.pk)


def test_loaded_terms_read_as_the_rows_do_with_one_query_for_many_profiles():
    teachers = [
        _teacher("ada", subjects=["science", "math"], grades=["g8", "g7"], tags=["robots"]),
        _teacher("bo", practices=["inquiry-based-learning"], languages=["fr", "en"]),
        _teacher("cy"),
    ]
    expected = [profile_terms(Profile.objects.get(pk=t.pk)) for t in teachers]
    with CaptureQueriesContext(connection) as queries:
        terms_load(teachers)
        found = [profile_terms(t) for t in teachers]
    assert len(queries) == 1
    assert found == expected
    assert found[0]["subject"] == ["math", "science"]  # the taxonomy's order
    assert found[2] == {kind: [] for kind in found[2]}


def test_profiles_already_loaded_or_prefetched_are_not_read_again():
    ada = _teacher("ada", subjects=["math"])
    bo = _teacher("bo", subjects=["science"])
    terms_load([ada])
    prefetch_related_objects([bo], "terms")
    with CaptureQueriesContext(connection) as queries:
        terms_load([ada, bo])
    assert len(queries) == 0
    assert profile_terms(ada)["subject"] == ["math"]
    assert profile_terms(bo)["subject"] == ["science"]
