from datetime import UTC, datetime, timedelta

from staffroom.core.ids import (
    new_snowflake,
    parse_snowflake,
    snowflake_floor,
    snowflake_for,
    snowflake_time,
)


def test_new_snowflake_strictly_increases_within_a_process():
    ids = [new_snowflake() for _ in range(5000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_new_snowflake_fits_in_a_signed_64_bit_integer():
    assert 0 < new_snowflake() < 2**63


def test_snowflake_time_round_trips_to_the_millisecond():
    when = datetime(2025, 9, 1, 8, 30, 15, 123000, tzinfo=UTC)
    assert snowflake_time(snowflake_for(when)) == when


def test_backfilled_snowflakes_sort_by_their_original_time():
    older = snowflake_for(datetime(2020, 1, 1, tzinfo=UTC))
    newer = snowflake_for(datetime(2020, 1, 1, tzinfo=UTC) + timedelta(milliseconds=1))
    assert older < newer < new_snowflake()


def test_snowflake_floor_is_below_every_id_of_that_millisecond():
    when = datetime(2024, 5, 5, tzinfo=UTC)
    floor = snowflake_floor(when)
    assert all(floor <= snowflake_for(when) for _ in range(50))
    assert snowflake_for(when - timedelta(milliseconds=1), sequence=0xFFFF) < floor


def test_parse_snowflake_accepts_digit_strings_and_refuses_the_rest():
    assert parse_snowflake("109876543210") == 109876543210
    for bad in ("", "abc", "-5", "0", "1e9", "9" * 20, None, "12 34"):
        assert parse_snowflake(bad) is None


def test_snowflake_for_refuses_naive_datetimes():
    import pytest

    with pytest.raises(ValueError, match="aware"):
        snowflake_for(datetime(2024, 1, 1))  # noqa: DTZ001
