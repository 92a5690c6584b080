import pytest
from django.core.management import CommandError, call_command

from staffroom.accounts.models import ApprovalState, StaffRole, User
from staffroom.profiles.models import Profile


def _snapshot():
    return sorted(Profile.objects.values_list("handle", "display_name", "is_locked"))


@pytest.mark.django_db
def test_demo_builds_teachers_a_demo_account_an_admin_and_a_moderator(client):
    call_command("demo", "--users", "30", "--seed", "3")
    assert User.objects.count() == 33
    demo = User.objects.get(profile__handle="demo")
    assert demo.check_password("staffroom-demo")
    assert User.objects.get(profile__handle="demo_admin").is_staff
    assert User.objects.get(profile__handle="demo_moderator").role == StaffRole.MODERATOR
    response = client.post("/accounts/login", {"username": "demo", "password": "staffroom-demo"})
    assert response.status_code == 302
    assert Profile.objects.filter(is_locked=True).exists()
    assert User.objects.filter(approval=ApprovalState.PENDING).exists()


@pytest.mark.django_db
def test_demo_with_the_same_seed_builds_the_same_community():
    call_command("demo", "--users", "20", "--seed", "11")
    first = _snapshot()
    User.objects.all().delete()
    call_command("demo", "--users", "20", "--seed", "11")
    assert _snapshot() == first


@pytest.mark.django_db
def test_demo_if_empty_leaves_an_existing_database_alone():
    call_command("demo", "--users", "5")
    call_command("demo", "--users", "5", "--if-empty")
    assert User.objects.count() == 8


@pytest.mark.django_db
def test_demo_refuses_to_run_twice_and_bad_sizes():
    call_command("demo", "--users", "5")
    with pytest.raises(CommandError, match="already here"):
        call_command("demo", "--users", "5")
    User.objects.all().delete()
    with pytest.raises(CommandError, match="between 2 and 5000"):
        call_command("demo", "--users", "0")


@pytest.mark.django_db
def test_demo_is_refused_in_production_without_force(settings):
    settings.IS_PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("demo", "--users", "5")
    assert not User.objects.exists()
