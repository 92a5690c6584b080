"""The suggestion routes answer prebuilt JSON (not validated again by ninja): each answer
must be exactly what its documented schema would have produced, for every kind of item
(a purpose reason, the engine's reasons, an account with its `pln` object, the owner's
own goals never included)."""

from __future__ import annotations

from typing import Any

import pytest

from staffroom.graph.services import follow_create
from staffroom.graph.services.lists import purpose_list_add_accounts, purpose_list_create
from staffroom.mastodon_api.entities import Account
from staffroom.recommendations.api.schemas import SuggestionEntity
from staffroom.recommendations.snapshot import snapshot_build
from tests.factories import make_profile
from tests.graph.test_api_helpers import bearer
from tests.recommendations.community import build_community

pytestmark = pytest.mark.django_db


def _as_schema_answers(schema: Any, item: dict[str, Any]) -> dict[str, Any]:
    dumped: dict[str, Any] = schema.model_validate(item).model_dump(mode="json", exclude_unset=True)
    return dumped


def test_every_suggestion_route_answers_exactly_what_its_schema_would(client):
    community = build_community()
    snapshot_build()
    viewer = make_profile("viewer", subjects=["math"], grades=["g7"])
    for member in community.math7[2:4]:
        follow_create(actor=viewer, target=member)
    chosen = purpose_list_create(actor=viewer, title="Maths", purpose="resources")
    purpose_list_add_accounts(
        actor=viewer, list_id=chosen.pk, profile_ids=[p.pk for p in community.math7[2:4]]
    )
    paths = {
        "/api/v2/suggestions?limit=30": SuggestionEntity,
        "/api/v1/pln/suggestions?purpose=resources&limit=30": SuggestionEntity,
        "/api/v1/pln/suggestions?purpose=mentorship": SuggestionEntity,
        f"/api/v1/pln/lists/{chosen.pk}/suggestions": SuggestionEntity,
        "/api/v1/suggestions": Account,
    }
    kinds: set[str] = set()
    for path, schema in paths.items():
        response = client.get(path, **bearer(viewer))
        assert response.status_code == 200, path
        assert response["Content-Type"] == "application/json; charset=utf-8"
        body = response.json()
        assert body, path
        for item in body:
            assert item == _as_schema_answers(schema, item), path
            kinds |= {reason["kind"] for reason in item.get("reasons", [])}
            account = item.get("account", item)
            assert "goals" not in account["pln"], "only the owner sees their goals"
    assert {"purpose_resources", "purpose_mentorship", "followed_by_followees"} <= kinds
