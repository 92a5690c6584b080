"""The baseline of the suggestions benchmark: recompute from the whole follow graph per
request.

`fresh_snapshot()` does, for one request, what the periodic job and a worker's first load
do once per snapshot: read every account, follow, profile term, purpose list and recent
post count (by modality and by practice) from the database and precompute the engine's
arrays (`precompute` on a `Dataset`, as `snapshot_decode` does). It skips only the
snapshot's compression and storage, which a per-request recompute would not need. Patched
in for `selectors.current_snapshot`, it makes the shipped route the baseline: same request,
same per-teacher reads, same engine, same response; only the graph's age and cost differ.

The readers are `snapshot.py`'s own private ones, on purpose: the baseline must read the
same rows the snapshot does, or the comparison measures two different things.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from unittest import mock

import numpy as np
from django.utils import timezone

from staffroom.recommendations import snapshot
from staffroom.recommendations.engine.features import precompute
from staffroom.recommendations.engine.graph import Dataset, binary_csr


def fresh_snapshot() -> snapshot.Snapshot:
    """A snapshot of the graph as it is now, read and precomputed in this call."""
    ids, facts = snapshot._accounts()
    follower, followee = snapshot.follow_pairs(ids)
    terms, vocabulary = snapshot._terms(ids)
    list_ids, purposes, list_rows = snapshot._lists(ids)
    n = len(ids)
    dataset = Dataset(
        name="baseline",
        directed=True,
        follows=binary_csr(follower, followee, (n, n)),
        profiles=terms,
        lists=tuple(list_rows),
    )
    return snapshot.Snapshot(
        id=-1,
        created_at=timezone.now(),
        profile_ids=ids,
        arrays=precompute(dataset),
        terms=terms,
        vocabulary={token: i for i, token in enumerate(vocabulary)},
        list_ids=np.array(list_ids, dtype=np.int64),
        list_purposes=tuple(purposes),
        posts=snapshot._posts(ids),
        practice_posts=snapshot._practice_posts(ids),
        experience=facts["experience"],
        offers_mentorship=facts["offers_mentorship"],
        reciprocal=facts["reciprocal"],
        suggestable=facts["suggestable"],
    )


@contextlib.contextmanager
def recomputing_per_request() -> Iterator[None]:
    """Within the block, every suggestion request recomputes the graph instead of reading
    the stored snapshot."""
    with mock.patch(
        "staffroom.recommendations.selectors.current_snapshot", side_effect=fresh_snapshot
    ):
        yield
