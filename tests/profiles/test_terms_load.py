"""`terms_load` reads many profiles' terms in one query as plain values; `profile_terms`
gives the same answer from them as from the rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import prefetch_related_objects
from django.test.utils import CaptureQueriesContext

from staffroom.profiles.models import Profile
from staffroom.profiles.professional import (
    profile_terms,
    terms_load,
)
from tests.factories import make_profile

pytestmark = pytest.mark.django_db


def test_loaded_terms_read_as_the_rows_do_with_one_query_for_many_profiles():
    teachers = [
        make_profile("ada", subjects=["science", "math"], grades=["g8", "g7"], tags=["robots"]),
        make_profile("bo", practices=["inquiry-based-learning"], languages=["fr", "en"]),
        make_profile("cy"),
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
    ada = make_profile("ada", subjects=["math"])
    bo = make_profile("bo", subjects=["science"])
    terms_load([ada])
    prefetch_related_objects([bo], "terms")
    with CaptureQueriesContext(connection) as queries:
        terms_load([ada, bo])
    assert len(queries) == 0
    assert profile_terms(ada)["subject"] == ["math"]
    assert profile_terms(bo)["subject"] == ["science"]
