"""A worker keeps serving its loaded snapshot while a newer one loads beside it, then
serves the newer one; with no snapshot stored, the first request builds one."""

from __future__ import annotations

import pytest

from staffroom.recommendations import snapshot as snapshots
from staffroom.recommendations.models import FeatureSnapshot
from staffroom.recommendations.snapshot import current_snapshot, snapshot_build, snapshot_wait
from tests.factories import make_profile


@pytest.mark.django_db(transaction=True)
def test_a_newer_snapshot_loads_in_the_background_while_the_old_one_serves(settings):
    settings.STAFFROOM_SUGGESTIONS_LOAD_IN_BACKGROUND = True
    snapshots.snapshot_forget()
    make_profile("ada")
    first = snapshot_build()
    assert current_snapshot().id == first.pk, "nothing loaded yet: loaded at once"
    make_profile("bo")
    second = snapshot_build()
    assert current_snapshot().id == first.pk, "the old one serves while the new one loads"
    snapshot_wait()
    served = current_snapshot()
    assert served.id == second.pk
    assert served.n == 2
    snapshots.snapshot_forget()


@pytest.mark.django_db
def test_the_first_request_on_a_new_server_builds_a_snapshot():
    make_profile("ada")
    assert not FeatureSnapshot.objects.exists()
    assert current_snapshot().n == 1
    assert FeatureSnapshot.objects.count() == 1
