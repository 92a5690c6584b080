import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from staffroom.accounts.models import User
from staffroom.profiles.models import Profile
from staffroom.profiles.services import profile_create_local
from tests.factories import make_user


@pytest.mark.django_db
def test_account_has_a_local_profile_with_snowflake_id_and_uri():
    user = make_user(handle="MathWithMsK", display_name="Ms. K")
    profile = user.profile
    assert profile.is_local
    assert profile.handle == "MathWithMsK"
    assert profile.display_name == "Ms. K"
    assert profile.uri == "http://localhost:8000/users/MathWithMsK"
    assert profile.id > 2**40  # time-sortable, not a small serial number
    assert profile.acct == "MathWithMsK"
    assert not profile.is_locked
    assert profile.is_discoverable


@pytest.mark.django_db
def test_handles_are_unique_case_insensitively():
    make_user(handle="ScienceSam")
    with pytest.raises(ValidationError, match="taken"):
        make_user(handle="sciencesam", email="other@school.example")
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_database_constraint_backs_case_insensitive_uniqueness():
    first = make_user(handle="Reader")
    other = User.objects.create_user(email="x@school.example", password=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Profile.objects.create(user=other, handle="READER", uri="http://x/users/READER")
    assert first.profile.handle == "Reader"


@pytest.mark.django_db
def test_remote_profile_may_share_a_handle_with_a_local_one():
    make_user(handle="sam")
    remote = Profile.objects.create(handle="sam", domain="mastodon.example", uri="https://m/u/sam")
    assert remote.acct == "sam@mastodon.example"
    assert not remote.is_local


@pytest.mark.django_db
def test_local_profile_without_user_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Profile.objects.create(handle="ghost", domain="", uri="http://x/users/ghost")


@pytest.mark.django_db
def test_profile_create_local_refuses_reserved_handle_and_writes_nothing():
    user = User.objects.create_user(email="y@school.example", password=None)
    with pytest.raises(ValidationError, match="reserved"):
        profile_create_local(user=user, handle="admin")
    assert not Profile.objects.exists()
