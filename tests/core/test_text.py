"""Names cannot carry bidi overrides: "gnp.exe" never displays as "exe.png" (hardening:
one cleaner, `core/text.py`, for every single-line name field)."""

from __future__ import annotations

import pytest

from staffroom.core.text import BIDI_CONTROLS, multi_line, one_spaced_line, single_line
from staffroom.filters.services import KeywordChange, filter_create
from staffroom.graph.services.lists import purpose_list_create
from staffroom.polls.services import PollDraft
from staffroom.posts.services import PostText, status_create
from staffroom.profiles.services import profile_update
from staffroom.recommendations.services import PackFields, starter_pack_create
from tests.factories import make_profile

RLO, PDF, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"
SPOOF = f"Report {RLO}gnp.exe{PDF} final"
CLEAN = "Report gnp.exe final"


@pytest.mark.parametrize("control", list(BIDI_CONTROLS))
def test_every_bidi_embedding_override_and_isolate_control_leaves_a_name(control):
    assert single_line(f"a{control}b") == "ab"


def test_bidi_marks_that_right_to_left_writers_need_stay_in_a_name():
    name = "\u05e9\u05dc\u05d5\u05dd\u200f!"  # Hebrew with a right-to-left mark
    assert single_line(name) == name
    assert single_line("\u0627\u061c1") == "\u0627\u061c1"


def test_control_characters_leave_names_and_text_keeps_its_lines():
    assert single_line(" a\x00b\tc\n ") == "abc"
    assert one_spaced_line("  Year   7\u202e  maths ") == "Year 7 maths"
    assert multi_line("one\r\ntwo\x07\rthree") == "one\ntwo\nthree"


def test_multi_line_text_keeps_bidi_controls_inside_its_paragraphs():
    assert multi_line(f"{LRI}abc{PDI}") == f"{LRI}abc{PDI}"


@pytest.mark.django_db
def test_a_display_name_and_profile_fields_are_stored_without_overrides():
    teacher = make_profile("teacher")
    profile_update(
        profile=teacher,
        display_name=SPOOF,
        fields=[{"name": f"{RLO}Site", "value": f"{LRI}example.org{PDI}"}],
    )
    teacher.refresh_from_db()
    assert teacher.display_name == CLEAN
    assert teacher.fields == [{"name": "Site", "value": "example.org"}]


@pytest.mark.django_db
def test_list_filter_pack_poll_and_content_warning_names_are_stored_without_overrides():
    teacher = make_profile("teacher")
    assert purpose_list_create(actor=teacher, title=SPOOF).title == CLEAN
    made = filter_create(
        actor=teacher,
        title=SPOOF,
        context=["home"],
        keywords=[KeywordChange(keyword=f"{RLO}spoiler")],
    )
    assert made.title == CLEAN
    assert [k.keyword for k in made.keywords.all()] == ["spoiler"]
    pack = starter_pack_create(actor=teacher, fields=PackFields(title=SPOOF))
    assert pack.title == CLEAN
    post = status_create(
        author=teacher,
        draft=PostText(text="Which?", spoiler_text=SPOOF),
        poll=PollDraft(options=(SPOOF, "Other"), expires_in=3600),
    )
    assert post.spoiler_text == CLEAN
    assert [option.title for option in post.poll.options.all()] == [CLEAN, "Other"]
