import pytest
from django.core.exceptions import ValidationError

from staffroom.profiles.handles import validate_handle_format


@pytest.mark.parametrize("handle", ["a", "MathWithMsK", "teacher_2024", "x" * 30, "_"])
def test_validate_handle_format_accepts_letters_digits_underscore(handle):
    validate_handle_format(handle)


@pytest.mark.parametrize(
    "handle",
    ["", "x" * 31, "has space", "dash-ed", "dot.ted", "émile", "ma\u200bth", "tab\t", "a\n"],
)
def test_validate_handle_format_refuses_other_characters_and_lengths(handle):
    with pytest.raises(ValidationError) as caught:
        validate_handle_format(handle)
    assert caught.value.code == "handle_format"


@pytest.mark.parametrize("handle", ["admin", "ADMIN", "Root", "api", "settings", "staffroom"])
def test_validate_handle_format_refuses_reserved_words_in_any_case(handle):
    with pytest.raises(ValidationError) as caught:
        validate_handle_format(handle)
    assert caught.value.code == "handle_reserved"
