from staffroom.trends.scoring import DayCount, day_score, item_score


def _days(*accounts: int) -> list[DayCount]:
    return [DayCount(accounts=count, uses=count) for count in accounts]


def test_day_score_counts_accounts_and_boosts_a_rise():
    assert day_score(3, 3.0) == 3
    assert day_score(6, 2.0) == 18
    assert day_score(2, 0.0) == 4  # expected is at least 1


def test_item_score_many_accounts_beat_few():
    many = item_score(_days(8, 0, 0, 0, 0, 0, 0), half_life_days=1)
    few = item_score(_days(3, 0, 0, 0, 0, 0, 0), half_life_days=1)
    assert many > few > 0


def test_item_score_decays_with_age():
    today = item_score(_days(5, 0, 0, 0, 0, 0, 0), half_life_days=1)
    yesterday = item_score(_days(0, 5, 0, 0, 0, 0, 0), half_life_days=1)
    last_week = item_score(_days(0, 0, 0, 0, 0, 0, 5), half_life_days=1)
    assert today > yesterday > last_week > 0
    assert yesterday == today / 2


def test_item_score_a_rise_over_the_usual_level_counts_more():
    rising = item_score(_days(6, 1, 1, 1, 1, 1, 1), half_life_days=1)
    steady = item_score(_days(6, 6, 6, 6, 6, 6, 6), half_life_days=1)
    rising_today = rising - item_score(_days(0, 1, 1, 1, 1, 1, 1), half_life_days=1)
    steady_today = steady - item_score(_days(0, 6, 6, 6, 6, 6, 6), half_life_days=1)
    assert (rising_today, steady_today) == (36, 6)


def test_item_score_of_nothing_is_zero():
    assert item_score(_days(0, 0, 0, 0, 0, 0, 0), half_life_days=1) == 0
