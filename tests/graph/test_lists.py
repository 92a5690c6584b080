from __future__ import annotations

import pytest

from staffroom.core.exceptions import NotFound, ValidationFailed
from staffroom.graph.models import PurposeList, PurposeListMember
from staffroom.graph.services import (
    LISTS_PER_ACCOUNT_MAX,
    default_purpose_lists_for,
    follow_create,
    purpose_list_add_accounts,
    purpose_list_create,
    purpose_list_delete,
    purpose_list_remove_accounts,
    purpose_list_update,
    purpose_lists_create_defaults,
)
from staffroom.profiles.models import ProfileTerm


def test_purpose_list_create_defaults_to_not_exclusive(ada):
    lst = purpose_list_create(actor=ada, title="  Math   resources ", purpose="resources")

    assert (lst.title, lst.purpose, lst.exclusive) == ("Math resources", "resources", False)
    assert lst.replies_policy == "list"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"title": ""},
        {"title": "   "},
        {"title": "x" * 257},
        {"title": "ok", "purpose": "gossip"},
        {"title": "ok", "replies_policy": "everyone"},
    ],
)
def test_purpose_list_create_refuses_bad_input(ada, kwargs):
    with pytest.raises(ValidationFailed, match="Validation failed"):
        purpose_list_create(actor=ada, **kwargs)
    assert not PurposeList.objects.exists()


def test_purpose_list_create_limit(ada):
    for number in range(LISTS_PER_ACCOUNT_MAX):
        purpose_list_create(actor=ada, title=f"List {number}")

    with pytest.raises(ValidationFailed, match="limit"):
        purpose_list_create(actor=ada, title="One too many")


def test_purpose_list_update_and_delete(ada):
    lst = purpose_list_create(actor=ada, title="Old")

    updated = purpose_list_update(
        actor=ada, list_id=str(lst.pk), title="New", purpose="practices", exclusive=True
    )

    assert (updated.title, updated.purpose, updated.exclusive) == ("New", "practices", True)
    purpose_list_delete(actor=ada, list_id=lst.pk)
    assert not PurposeList.objects.exists()


@pytest.mark.parametrize("list_id", ["nope", "0", "-3", str(2**64)])
def test_purpose_list_unknown_ids_are_not_found(ada, list_id):
    with pytest.raises(NotFound):
        purpose_list_update(actor=ada, list_id=list_id, title="x")


def test_purpose_list_of_another_user_is_not_found(ada, bo):
    theirs = purpose_list_create(actor=bo, title="Bo's")
    follow_create(actor=ada, target=bo)

    with pytest.raises(NotFound):
        purpose_list_update(actor=ada, list_id=theirs.pk, title="Mine now")
    with pytest.raises(NotFound):
        purpose_list_delete(actor=ada, list_id=theirs.pk)
    with pytest.raises(NotFound):
        purpose_list_add_accounts(actor=ada, list_id=theirs.pk, profile_ids=[bo.pk])
    with pytest.raises(NotFound):
        purpose_list_remove_accounts(actor=ada, list_id=theirs.pk, profile_ids=[bo.pk])
    assert PurposeList.objects.get().title == "Bo's"


def test_purpose_list_add_and_remove_accounts(ada, bo, cy):
    lst = purpose_list_create(actor=ada, title="Mine")
    follow_create(actor=ada, target=bo)
    follow_create(actor=ada, target=cy)

    purpose_list_add_accounts(actor=ada, list_id=lst.pk, profile_ids=[bo.pk, str(cy.pk)])
    purpose_list_add_accounts(actor=ada, list_id=lst.pk, profile_ids=[bo.pk])  # no-op

    assert set(lst.memberships.values_list("profile_id", flat=True)) == {bo.pk, cy.pk}
    purpose_list_remove_accounts(actor=ada, list_id=lst.pk, profile_ids=[bo.pk, 12345])
    assert list(lst.memberships.values_list("profile_id", flat=True)) == [cy.pk]


def test_purpose_list_add_accounts_refuses_accounts_not_followed(ada, bo, cy):
    lst = purpose_list_create(actor=ada, title="Mine")
    follow_create(actor=ada, target=bo)

    with pytest.raises(ValidationFailed, match="follow"):
        purpose_list_add_accounts(actor=ada, list_id=lst.pk, profile_ids=[bo.pk, cy.pk])
    assert not PurposeListMember.objects.exists()


def test_purpose_list_add_accounts_refuses_more_than_100(ada):
    lst = purpose_list_create(actor=ada, title="Mine")

    with pytest.raises(ValidationFailed, match="100"):
        purpose_list_add_accounts(actor=ada, list_id=lst.pk, profile_ids=list(range(1, 102)))
    with pytest.raises(ValidationFailed, match="100"):
        purpose_list_add_accounts(actor=ada, list_id=lst.pk, profile_ids=list(range(1, 10_001)))
    with pytest.raises(ValidationFailed, match="100"):
        purpose_list_remove_accounts(actor=ada, list_id=lst.pk, profile_ids=list(range(1, 102)))


def test_default_purpose_lists_from_goals_and_subjects(ada):
    ada.goal_purposes = ["resources", "practices", "inspiration"]
    ada.save(update_fields=["goal_purposes"])
    ProfileTerm.objects.create(profile=ada, kind="subject", value="math")

    suggested = default_purpose_lists_for(ada)

    assert [(item.title, item.purpose) for item in suggested] == [
        ("Math resources", "resources"),
        ("Classroom management", "practices"),
        ("Inspiration", "inspiration"),
    ]
    assert not PurposeList.objects.exists()  # suggesting creates nothing


def test_default_purpose_lists_without_goals_offer_every_purpose(ada):
    titles = [item.title for item in default_purpose_lists_for(ada)]

    assert titles == [
        "Teaching resources",
        "Classroom management",
        "Inspiration",
        "Support network",
        "Mentors",
    ]


def test_purpose_lists_create_defaults_is_idempotent(ada):
    purpose_list_create(actor=ada, title="inspiration")

    created = purpose_lists_create_defaults(actor=ada)

    assert "Inspiration" not in [lst.title for lst in created]
    assert len(created) == 4
    assert purpose_lists_create_defaults(actor=ada) == []
    assert PurposeList.objects.filter(owner=ada).count() == 5
