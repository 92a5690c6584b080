import pytest

from staffroom.accounts.models import ApprovalState, User
from staffroom.profiles.professional import onboarding_complete
from tests.factories import make_user


@pytest.fixture
def admin_client(client):
    admin = make_user(handle="principal", is_staff=True, is_superuser=True)
    onboarding_complete(profile=admin.profile)
    client.force_login(admin, backend="staffroom.accounts.backends.EmailOrHandleBackend")
    return client


@pytest.mark.django_db
def test_admin_lists_pending_registrations(admin_client):
    make_user(handle="waiting_one", approval=ApprovalState.PENDING)
    page = admin_client.get("/admin/accounts/user/?approval__exact=pending").content.decode()
    assert "waiting_one" in page
    assert "principal" not in page.split("result_list")[1]


@pytest.mark.django_db
def test_admin_action_approves_selected_pending_users(admin_client, run_jobs, mailoutbox):
    pending = make_user(handle="waiting_one", approval=ApprovalState.PENDING)
    response = admin_client.post(
        "/admin/accounts/user/",
        {"action": "approve_selected", "_selected_action": [pending.pk]},
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.approval == ApprovalState.APPROVED
    run_jobs()
    assert mailoutbox[0].to == [pending.email]


@pytest.mark.django_db
def test_admin_is_closed_to_teachers(client_for):
    teacher = make_user(handle="teacher")
    response = client_for(teacher).get("/admin/accounts/user/")
    assert response.status_code == 302
    assert User.objects.filter(approval=ApprovalState.PENDING).count() == 0


@pytest.mark.django_db
def test_home_tells_staff_how_many_sign_ups_wait(admin_client, client_for):
    make_user(handle="waiting_one", approval=ApprovalState.PENDING)
    make_user(handle="waiting_two", approval=ApprovalState.PENDING)
    page = admin_client.get("/home").content.decode()
    assert "2 sign-ups are waiting for your approval" in page
    assert "approval__exact=pending" in page
    teacher = make_user(handle="teacher")
    onboarding_complete(profile=teacher.profile)
    teacher_page = client_for(teacher).get("/home").content.decode()
    assert "waiting for your approval" not in teacher_page
