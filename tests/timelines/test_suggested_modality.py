"""The "from educators like you" items: per educator, a post in the ways the teacher learns."""

from __future__ import annotations

from staffroom.core.pln import modalities_for_learning_styles
from staffroom.posts.models import Status
from staffroom.timelines.suggested import _preferred_by_author


def _posts(*rows: tuple[int, int, str]) -> list[Status]:
    """(id, author, modality), newest first."""
    return [Status(id=pk, account_id=author, modality=kind) for pk, author, kind in rows]


def test_a_visual_learner_gets_an_educators_image_over_their_newer_text():
    posts = _posts((9, 1, "text"), (8, 1, "image"), (7, 2, "text"), (6, 1, "video"))
    chosen = _preferred_by_author(posts, modalities_for_learning_styles(["visual"]))
    assert {author: status.pk for author, status in chosen.items()} == {1: 8, 2: 7}


def test_an_auditory_learner_gets_audio_and_without_preferences_the_newest():
    posts = _posts((9, 1, "document"), (8, 1, "audio"))
    auditory = _preferred_by_author(posts, modalities_for_learning_styles(["auditory"]))
    assert auditory[1].pk == 8
    assert _preferred_by_author(posts, frozenset())[1].pk == 9
    textual = _preferred_by_author(posts, modalities_for_learning_styles(["textual"]))
    assert textual[1].pk == 9  # a worksheet is read
