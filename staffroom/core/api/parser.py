"""The django-ninja parser that reads every request through `core.api.input`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.parser import Parser

from staffroom.core.api.input import fold, request_data


class MastodonParser(Parser):
    """Bodies of any content type (plus the query string) and Rails-style keys.

    django-ninja 1.7 alone gives 400 for a form body sent to a Schema, drops `key[]` and parses
    no PATCH/PUT bodies; this parser makes every Schema parameter read the same folded dict.
    """

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        return request_data(request)

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        folded = fold(data)
        for name in list_fields:
            # `id=1&id=2` (OpenAPI's form style, as the document describes list parameters)
            # is the same list as Rails' `id[]=1&id[]=2`, not the last value alone.
            repeated = data.getlist(name)
            if len(repeated) > 1:
                folded[name] = list(repeated)
            value = folded.get(name)
            if value is not None and not isinstance(value, list):
                folded[name] = [value]
        return folded
