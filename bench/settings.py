"""Settings of the benchmark's server: the project's own, plus the naive home feed route
(bench/urls.py). Used only by `python -m bench`, never in production."""

from staffroom.config.settings.base import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
