"""Moving in: a teacher uploads a following CSV, watches the progress finish and reads the
report."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from staffroom.graph.models import Follow
from staffroom.profiles.professional import onboarding_complete
from tests.browser.conftest import check_accessibility, screenshot
from tests.factories import make_user

pytestmark = pytest.mark.browser


def test_import_following_csv_shows_progress_then_the_report(page, sign_in, run_jobs, tmp_path):
    user = make_user(handle="mover", display_name="Mo Ver")
    onboarding_complete(profile=user.profile)
    friend = make_user(handle="friend")
    sign_in(user)
    page.goto("/settings/import")
    expect(page.get_by_text("You have not imported anything yet.")).to_be_visible()
    screenshot(page, "settings-import-empty")
    check_accessibility(page, "settings-import-empty")

    csv = tmp_path / "following_accounts.csv"
    csv.write_text(
        "Account address,Show boosts,Notify on new posts,Languages\n"
        "friend,true,false,\nnobody,true,false,\nsomeone@far.example,true,false,\n"
    )
    page.get_by_label("What the file holds").select_option("following")
    page.get_by_label("Merge", exact=False).check()
    page.get_by_label("CSV file").set_input_files(str(csv))
    page.get_by_role("button", name="Upload and import").click()
    expect(page.get_by_label("Import progress")).to_be_visible()
    expect(page.get_by_text("0 of 3 rows processed")).to_be_visible()
    screenshot(page, "settings-import-running")

    run_jobs()
    # The progress block polls (htmx) and shows the report once the job has finished.
    expect(page.get_by_text("3 of 3 rows processed")).to_be_visible(timeout=15_000)
    expect(page.get_by_role("heading", name="Report")).to_be_visible()
    expect(page.get_by_role("cell", name="someone@far.example")).to_be_visible()
    expect(page.get_by_role("cell", name="Not on this server yet")).to_be_visible()
    screenshot(page, "settings-import-report")
    check_accessibility(page, "settings-import-report")
    assert Follow.objects.filter(follower=user.profile, followee=friend.profile).exists()
