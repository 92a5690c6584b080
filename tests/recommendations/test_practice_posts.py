"""The `practices` purpose reads what people post, not only what they list: which practices a
post names (`practice_posts.py`), how the snapshot counts them (recent public posts only),
and how a teacher's suggestions for `purpose=practices` rank and explain them."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from staffroom.graph.services.follow import follow_create
from staffroom.graph.services.lists import purpose_list_add_accounts, purpose_list_create
from staffroom.posts.models import Status, Visibility
from staffroom.posts.removal import status_remove
from staffroom.posts.services import PostText, status_create
from staffroom.profiles.models import Profile
from staffroom.recommendations.models import FeatureSnapshot
from staffroom.recommendations.practice_posts import (
    PRACTICE_COLUMN,
    PRACTICE_SLUGS,
    practice_post_counts,
    practices_in,
)
from staffroom.recommendations.selectors import list_suggestions, suggestions_for
from staffroom.recommendations.snapshot import (
    _encode,
    current_snapshot,
    snapshot_build,
    snapshot_decode,
)
from tests.conftest import Shared, built_once
from tests.factories import make_post, make_profile
from tests.recommendations.community import Community, build_community


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tried retrieval practice with my class", {"retrieval-practice"}),
        ("Loving #RetrievalPractice this term", {"retrieval-practice"}),
        (
            "retrieval-practice and Project_Based_Learning",
            {"retrieval-practice", "project-based-learning"},
        ),
        ("Our formative assessments are short", {"formative-assessment"}),
        ("assessment week again", {"assessment"}),
        ("Universal Design for Learning, or UDL", {"udl"}),
        ("SEL check-ins every morning", {"sel"}),
        ("English learners need sentence frames", {"english-learners"}),
    ],
)
def test_a_post_talks_about_the_practices_it_names_in_any_spelling(text, expected):
    assert practices_in(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "A selection of new books",  # "sel" only as a whole word
        "Retrieval of the field trip forms",  # a name's first word alone is not the name
        "practice retrieval",  # nor its words in another order
        "",
    ],
)
def test_a_post_that_does_not_name_a_practice_talks_about_none(text):
    assert practices_in(text) == set()


def test_the_longer_of_two_names_at_the_same_words_is_the_one_meant():
    assert practices_in("formative assessment") == {"formative-assessment"}
    assert practices_in("formative assessment, then assessment") == {
        "formative-assessment",
        "assessment",
    }


def test_counts_are_posts_per_account_and_practice_each_post_once():
    ids = np.array([10, 20, 30], dtype=np.int64)
    posts = [
        (10, "retrieval practice, then more retrieval practice"),
        (10, "#retrievalpractice and feedback"),
        (30, "feedback"),
        (99, "feedback from someone outside the snapshot"),
        (20, "nothing about practices"),
    ]
    counts = practice_post_counts(ids, posts).toarray()
    assert counts.shape == (3, len(PRACTICE_SLUGS))
    retrieval, feedback = PRACTICE_COLUMN["retrieval-practice"], PRACTICE_COLUMN["feedback"]
    assert counts[0, retrieval] == 2
    assert counts[0, feedback] == 1
    assert counts[2, feedback] == 1
    assert counts[1].sum() == 0
    assert counts.sum() == 4


@pytest.mark.django_db
def test_the_snapshot_counts_only_recent_public_posts_about_a_practice():
    author = make_profile("author")
    about = "Tried retrieval practice today"
    status_create(author=author, draft=PostText(text=about))
    status_create(author=author, draft=PostText(text=about), visibility=Visibility.UNLISTED)
    for hidden in (Visibility.FOLLOWERS, Visibility.CONNECTIONS):
        status_create(author=author, draft=PostText(text=about), visibility=hidden)
    removed = status_create(author=author, draft=PostText(text=about))
    status_remove(status=removed)  # by a moderator
    old = status_create(author=author, draft=PostText(text=about))
    Status.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=90))
    snapshot_build()
    snap = current_snapshot()
    row = snap.practice_posts.getrow(snap.index_of(author.pk)).toarray().ravel()
    assert row[PRACTICE_COLUMN["retrieval-practice"]] == 2  # the public and unlisted ones
    assert row.sum() == 2


def _stored_with_a_feedback_post() -> tuple[FeatureSnapshot, dict[str, np.ndarray], Profile]:
    """A snapshot built over one post about feedback: the row, its stored arrays, the author."""
    author = make_profile("author")
    status_create(author=author, draft=PostText(text="feedback loops"))
    row = snapshot_build()
    with np.load(io.BytesIO(bytes(row.data))) as stored:
        return row, {k: stored[k] for k in stored.files}, author


@pytest.mark.django_db
def test_a_snapshot_stored_before_practice_counts_existed_still_loads():
    row, raw, _author = _stored_with_a_feedback_post()
    older = {k: v for k, v in raw.items() if not k.startswith("practice_")}
    snap = snapshot_decode(row.pk, row.created_at, _encode(older))
    assert snap.practice_posts.shape == (snap.n, len(PRACTICE_SLUGS))
    assert snap.practice_posts.nnz == 0


@pytest.mark.django_db
def test_practice_columns_follow_the_slugs_stored_with_the_snapshot():
    row, raw, author = _stored_with_a_feedback_post()
    # As if stored by a version whose taxonomy listed the practices in reverse order.
    reversed_slugs = raw["practice_slugs"][::-1]
    last = len(reversed_slugs) - 1
    raw["practice_slugs"] = reversed_slugs
    raw["practice_indices"] = (last - raw["practice_indices"]).astype(np.int32)
    snap = snapshot_decode(row.pk, row.created_at, _encode(raw))
    counts = snap.practice_posts.getrow(snap.index_of(author.pk)).toarray().ravel()
    assert counts[PRACTICE_COLUMN["feedback"]] == 1
    assert counts.sum() == 1


# The tests below share one community (without a snapshot: each builds its own), built once
# for them all; it stays until the module's last test, so the tests above must come first.


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker) -> Iterator[Shared[Community]]:
    yield from built_once(django_db_blocker, build_community)


@pytest.fixture
def community(built: Shared[Community], db) -> Community:
    return built.for_test()


def _viewer_after(
    poster: Profile, texts: list[str], visibility: str = Visibility.PUBLIC
) -> Profile:
    """`poster` posts `texts`, the snapshot is rebuilt, and a grade 7 math teacher who works
    on inquiry-based learning comes to look for suggestions."""
    for text in texts:
        make_post(poster, text, visibility=visibility)
    snapshot_build()
    return make_profile(
        "viewer", subjects=["math"], grades=["g7"], practices=["inquiry-based-learning"]
    )


@pytest.mark.django_db
def test_practices_purpose_ranks_who_posts_about_your_practice_above_who_only_lists_it(
    community,
):
    # m7_1, m7_3, ... list inquiry-based learning; m7_2 lists nothing but posts about it.
    poster = community.math7[2]
    viewer = _viewer_after(
        poster,
        [f"Inquiry-based learning, week {n}: students wrote the questions" for n in range(3)],
    )
    found = suggestions_for(viewer, purpose="practices", limit=10)
    order = [item.profile.handle for item in found]
    assert order[0] == poster.handle, order
    listers = [p.handle for p in community.math7 if p.handle in order and p.handle[-1] in "13579"]
    assert listers, order
    why = next(r for r in found[0].reasons if r.kind == "purpose_practices")
    assert why.text == "Posted about Inquiry-based learning 3 times in the last 60 days"
    lister = next(item for item in found if item.profile.handle in listers)
    lister_why = [r.text for r in lister.reasons if r.kind == "purpose_practices"]
    assert lister_why in ([], ["Works on Inquiry-based learning, like you"]), lister_why


@pytest.mark.django_db
def test_practices_purpose_finds_who_posts_about_your_practice_outside_your_circles(community):
    # A grade 10 science teacher: no subject, grade or follow in common with the viewer.
    poster = community.science10[3]
    viewer = _viewer_after(
        poster, [f"Inquiry-based learning in the lab, week {n}" for n in range(2)]
    )
    plain = [item.profile.handle for item in suggestions_for(viewer, limit=30)]
    assert poster.handle in plain[17:], plain  # with the other science teachers, last
    found = suggestions_for(viewer, purpose="practices", limit=10)
    assert poster.handle in [item.profile.handle for item in found]
    why = next(item for item in found if item.profile == poster).reasons
    assert any(r.text.startswith("Posted about Inquiry-based learning 2 times") for r in why)


@pytest.mark.django_db
def test_posts_only_followers_may_read_never_make_a_practices_reason(community):
    hidden, public = community.math7[2], community.math7[4]
    make_post(public, "Inquiry-based learning in the open")  # the same words, for everyone
    texts = [f"Inquiry-based learning, week {n}" for n in range(3)]
    viewer = _viewer_after(hidden, texts, visibility=Visibility.FOLLOWERS)
    posted = {
        item.profile.handle
        for item in suggestions_for(viewer, purpose="practices", limit=20)
        if any(reason.text.startswith("Posted about") for reason in item.reasons)
    }
    assert posted == {public.handle}  # the public post counts; the followers-only ones not


@pytest.mark.django_db
def test_a_lists_suggestions_follow_the_practice_its_members_post_about(community):
    owner = make_profile("list_keeper", subjects=["math"], grades=["g7"])
    members = community.math7[0:5:2]  # list no practices, but all post about retrieval practice
    for member in members:
        make_post(member, "Retrieval practice starters for Monday")
    poster = community.science10[3]  # another subject, grade and network: only the posts
    for week in range(2):
        make_post(poster, f"Retrieval practice, week {week}")
    snapshot_build()
    practice_list = purpose_list_create(actor=owner, title="Recall", purpose="practices")
    for member in members:
        follow_create(actor=owner, target=member)
    purpose_list_add_accounts(
        actor=owner, list_id=practice_list.pk, profile_ids=[m.pk for m in members]
    )
    found = list_suggestions(owner, practice_list.pk, limit=10)
    order = [item.profile.handle for item in found]
    assert poster.handle in order[:3], order
    why = next(item for item in found if item.profile == poster).reasons
    assert any(r.text.startswith("Posted about Retrieval practice 2 times") for r in why), why
