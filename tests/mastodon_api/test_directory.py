"""`/api/v1/directory`: discoverable accounts in good standing, paged with offset and limit."""

from datetime import timedelta

import pytest
from django.utils import timezone

from staffroom.accounts.models import ApprovalState
from staffroom.oauth.services import personal_token_create
from staffroom.profiles.models import Profile
from tests.factories import make_remote_profile, make_user
from tests.mastodon_api.test_accounts import assert_account_shape


def usernames(response):
    assert response.status_code == 200, response.content
    return [account["username"] for account in response.json()]


def age(user, days):
    """Make the profile `days` old and last changed `days` ago."""
    when = timezone.now() - timedelta(days=days)
    Profile.objects.filter(pk=user.profile.pk).update(created_at=when, updated_at=when)


@pytest.fixture
def teachers(db):
    made = {}
    for days, handle in enumerate(["newest", "middle", "oldest"]):
        made[handle] = make_user(handle=handle)
        age(made[handle], days)
    return made


@pytest.mark.django_db
def test_directory_lists_discoverable_accounts_without_a_token(client, teachers):
    response = client.get("/api/v1/directory", {"order": "new"})
    assert usernames(response) == ["newest", "middle", "oldest"]
    assert_account_shape(response.json()[0])
    assert "goals" not in response.json()[0]["pln"]


@pytest.mark.django_db
def test_directory_active_order_puts_recently_changed_profiles_first(client, teachers):
    Profile.objects.filter(handle="oldest").update(updated_at=timezone.now())
    assert usernames(client.get("/api/v1/directory")) == ["oldest", "newest", "middle"]
    assert usernames(client.get("/api/v1/directory/", {"order": "active"}))[0] == "oldest"


@pytest.mark.django_db
def test_directory_rejects_an_unknown_order(client, teachers):
    response = client.get("/api/v1/directory", {"order": "random"})
    assert response.status_code == 422
    assert response.json()["error"].startswith("Validation failed: order")


@pytest.mark.django_db
def test_directory_leaves_out_accounts_that_are_not_discoverable(client, teachers):
    Profile.objects.filter(handle="middle").update(is_discoverable=False)
    assert "middle" not in usernames(client.get("/api/v1/directory"))
    # ...which can still be looked up by address
    assert client.get("/api/v1/accounts/lookup", {"acct": "middle"}).status_code == 200


@pytest.mark.django_db
def test_directory_leaves_out_unapproved_inactive_and_unverified_accounts(client, teachers):
    make_user(handle="pending", approval=ApprovalState.PENDING)
    make_user(handle="rejected", approval=ApprovalState.REJECTED)
    make_user(handle="unverified", verified=False)
    gone = make_user(handle="gone")
    gone.is_active = False
    gone.save()
    listed = usernames(client.get("/api/v1/directory", {"limit": 80}))
    assert sorted(listed) == ["middle", "newest", "oldest"]


@pytest.mark.django_db
def test_directory_local_filter(client, teachers):
    make_remote_profile("kim")
    assert "kim" in usernames(client.get("/api/v1/directory", {"local": "false"}))
    assert "kim" not in usernames(client.get("/api/v1/directory", {"local": "true"}))
    assert "kim" not in usernames(client.get("/api/v1/directory", {"local": "1"}))


@pytest.mark.django_db
def test_directory_pages_with_offset_and_limit(client, teachers):
    first = usernames(client.get("/api/v1/directory", {"order": "new", "limit": 2}))
    rest = usernames(client.get("/api/v1/directory", {"order": "new", "limit": 2, "offset": 2}))
    assert first == ["newest", "middle"]
    assert rest == ["oldest"]
    assert usernames(client.get("/api/v1/directory", {"offset": 10})) == []


@pytest.mark.django_db
def test_directory_clamps_limits(client, teachers):
    assert len(usernames(client.get("/api/v1/directory", {"limit": -1}))) == 1
    assert len(usernames(client.get("/api/v1/directory", {"limit": 500}))) == 3
    assert len(usernames(client.get("/api/v1/directory", {"offset": -3}))) == 3


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"limit": "abc"}, {"offset": "x"}, {"local": "perhaps"}])
def test_directory_rejects_junk_parameters(client, teachers, params):
    response = client.get("/api/v1/directory", params)
    assert response.status_code == 422
    assert response.json()["error"].startswith("Validation failed:")


@pytest.mark.django_db
def test_directory_caps_limit_at_80(client, db):
    for number in range(85):
        make_remote_profile(f"remote{number}")
    assert len(usernames(client.get("/api/v1/directory", {"limit": 100}))) == 80


@pytest.mark.django_db
def test_directory_query_count_is_constant(client, django_assert_max_num_queries):
    viewer = make_user(handle="viewer")
    for number in range(20):
        make_user(handle=f"teacher{number}", is_staff=number % 2 == 0)
    raw = personal_token_create(user=viewer, scopes="read").raw_token
    # the optional token's lookup and the list (users joined); never one per account
    with django_assert_max_num_queries(6):  # page, terms, two follow counts, status counts
        response = client.get(
            "/api/v1/directory", {"limit": 80}, HTTP_AUTHORIZATION=f"Bearer {raw}"
        )
    assert len(response.json()) == 21
