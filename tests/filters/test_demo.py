"""The demo's filters: the demo account has a warn filter in use and an expired one."""

from __future__ import annotations

import random

import pytest

from staffroom.core.demo import DemoContext
from staffroom.filters.demo import demo_filters
from staffroom.filters.models import Filter
from staffroom.filters.selectors import viewer_filters
from tests.factories import make_profile

pytestmark = pytest.mark.django_db


def test_the_demo_account_gets_two_filters_one_active():
    demo = make_profile("demo")
    logged: list[str] = []
    demo_filters(DemoContext(rng=random.Random(1), users=1, seed=1, log=logged.append))  # noqa: S311 - demo data
    assert Filter.objects.filter(account=demo).count() == 2
    active = viewer_filters(demo).filters
    assert [item.title for item in active] == ["Standardized testing"]
    assert logged
