"""Model fields shared by the domain apps."""

from __future__ import annotations

from typing import Any

from django.db import models

from staffroom.core.ids import new_snowflake


class SnowflakeIdField(models.BigIntegerField):  # type: ignore[type-arg]
    """A time-sortable primary key (see core/ids.py)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("primary_key", True)
        kwargs.setdefault("default", new_snowflake)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)
