"""Imports end to end through the job: merge and overwrite, what each outcome means,
progress and resuming, and the round trip from an export to another account."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from staffroom.accounts.models import User
from staffroom.core.exceptions import Conflict, NotFound, ValidationFailed
from staffroom.core.models import Job, JobStatus
from staffroom.graph.models import (
    Block,
    DomainBlock,
    Follow,
    FollowRequest,
    Mute,
    PurposeList,
    PurposeListMember,
)
from staffroom.graph.services import (
    block_create,
    domain_block_create,
    follow_create,
    mute_create,
    purpose_list_add_accounts,
    purpose_list_create,
)
from staffroom.importing import services
from staffroom.importing.models import ImportJob, ImportRow, ImportState, RowOutcome
from staffroom.importing.selectors import import_issues, import_report
from staffroom.importing.services import (
    IMPORT_TASK_PATH,
    import_create,
    import_retry,
    import_run,
    imports_unstick,
)
from staffroom.leaving.deletion import account_delete_run
from staffroom.leaving.export import archive_build, export_parts
from staffroom.posts.models import Bookmark
from staffroom.posts.services import bookmark_create
from staffroom.profiles.models import Profile
from tests.factories import make_post, make_profile, make_remote_profile

DOMAIN = "staffroom.example"


@pytest.fixture(autouse=True)
def _domain(settings):
    settings.STAFFROOM_DOMAIN = DOMAIN


def csv_file(text: str, name: str = "export.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def run_import(actor: Profile, kind: str, text: str, run_jobs, mode: str = "merge") -> ImportJob:
    job = import_create(actor=actor, upload=csv_file(text), kind=kind, mode=mode)
    run_jobs()
    job.refresh_from_db()
    return job


def outcomes(job: ImportJob) -> dict[int, tuple[str, str]]:
    return {row.line: (row.outcome, row.detail) for row in job.rows.order_by("line")}


def followees(profile: Profile) -> set[str]:
    return set(Follow.objects.filter(follower=profile).values_list("followee__handle", flat=True))


@pytest.mark.django_db
def test_following_import_reports_each_outcome(ada, bo, cy, locked, run_jobs):
    hater = make_profile("hater")
    block_create(actor=hater, target=ada)
    follow_create(actor=ada, target=cy)
    make_remote_profile("known", "mastodon.example")
    text = (
        "Account address,Show boosts,Notify on new posts,Languages\n"
        f"bo@{DOMAIN},false,true,\n"  # 2: imported, with its options
        "cy,true,false,\n"  # 3: already followed
        "lockedlee,true,false,\n"  # 4: a follow request
        "nobody,true,false,\n"  # 5: not found
        "hater,true,false,\n"  # 6: blocks ada: not found, never "blocked"
        "someone@far.example,true,false,\n"  # 7: not on this server yet
        "known@mastodon.example,true,false,\n"  # 8: a known remote account: followed
        "not an address,true,false,\n"  # 9: broken
        "ada,true,false,\n"  # 10: oneself
    )
    job = run_import(ada, "following", text, run_jobs)
    assert job.state == ImportState.FINISHED
    found = outcomes(job)
    assert found[2] == (RowOutcome.IMPORTED, "")
    assert found[3] == (RowOutcome.ALREADY, "")
    assert found[4][0] == RowOutcome.IMPORTED
    assert "Follow request sent" in found[4][1]
    assert found[5][0] == found[6][0] == RowOutcome.NOT_FOUND
    assert found[5][1] == found[6][1]  # a block reads as an unknown address
    assert found[7][0] == RowOutcome.REMOTE
    assert found[8] == (RowOutcome.IMPORTED, "")
    assert found[9][0] == RowOutcome.FAILED
    assert "not an account address" in found[9][1]
    assert found[10] == (RowOutcome.FAILED, "You cannot follow yourself.")
    follow = Follow.objects.get(follower=ada, followee=bo)
    assert (follow.show_reblogs, follow.notify) == (False, True)
    assert FollowRequest.objects.filter(follower=ada, followee=locked).exists()
    assert followees(ada) == {"bo", "cy", "known"}
    report = import_report(job)
    assert (report.total, report.processed, report.percent) == (9, 9, 100)
    assert (report.imported, report.already, report.not_found) == (3, 1, 2)
    assert (report.remote, report.failed) == (1, 2)
    assert [row.line for row in import_issues(job)] == [5, 6, 7, 9, 10]


@pytest.mark.django_db
def test_merge_keeps_and_overwrite_removes_what_the_file_lacks(ada, bo, cy, stranger, run_jobs):
    follow_create(actor=ada, target=cy)
    run_import(ada, "following", "bo\n", run_jobs)
    assert followees(ada) == {"bo", "cy"}
    job = run_import(ada, "following", "bo\nstranger\n", run_jobs, mode="overwrite")
    assert followees(ada) == {"bo", "stranger"}
    assert outcomes(job)[1][0] == RowOutcome.ALREADY
    # Overwrite with blocks, mutes and domain blocks: only what the file names stays.
    block_create(actor=ada, target=cy)
    run_import(ada, "blocks", "stranger\n", run_jobs, mode="overwrite")
    assert set(Block.objects.filter(blocker=ada).values_list("blocked__handle", flat=True)) == {
        "stranger"
    }
    mute_create(actor=ada, target=bo)
    run_import(
        ada, "mutes", "Account address,Hide notifications\ncy,false\n", run_jobs, "overwrite"
    )
    mutes = Mute.objects.filter(muter=ada)
    assert [(m.muted.handle, m.hide_notifications) for m in mutes] == [("cy", False)]
    domain_block_create(actor=ada, domain="old.example")
    run_import(ada, "domain_blocks", "new.example\n", run_jobs, mode="overwrite")
    assert list(DomainBlock.objects.filter(account=ada).values_list("domain", flat=True)) == [
        "new.example"
    ]


@pytest.mark.django_db
def test_lists_import_follows_then_files_and_overwrite_empties(ada, bo, cy, locked, run_jobs):
    old = purpose_list_create(actor=ada, title="Old list")
    follow_create(actor=ada, target=cy)
    math = purpose_list_create(actor=ada, title="Math resources")
    purpose_list_add_accounts(actor=ada, list_id=math.pk, profile_ids=[cy.pk])
    text = "Math resources,bo\nMath resources,lockedlee\nMentors,nobody\n"
    job = run_import(ada, "lists", text, run_jobs)
    assert [row[0] for row in outcomes(job).values()] == [
        RowOutcome.IMPORTED,
        RowOutcome.IMPORTED,
        RowOutcome.NOT_FOUND,
    ]
    members = PurposeListMember.objects.filter(list=math).values_list("profile__handle", flat=True)
    assert set(members) == {"bo", "cy"}
    assert followees(ada) == {"bo", "cy"}
    request = FollowRequest.objects.get(follower=ada, followee=locked)
    assert request.purpose_list_ids == [math.pk]  # joins the list once accepted
    # Every list the file names exists, even one whose accounts were not found.
    assert set(PurposeList.objects.filter(owner=ada).values_list("title", flat=True)) == {
        "Old list",
        "Math resources",
        "Mentors",
    }
    run_import(ada, "lists", "Math resources,bo\n", run_jobs, mode="overwrite")
    assert not PurposeList.objects.filter(pk=old.pk).exists()
    assert set(
        PurposeListMember.objects.filter(list=math).values_list("profile__handle", flat=True)
    ) == {"bo"}
    assert followees(ada) == {"bo", "cy"}  # lists change, follows stay


@pytest.mark.django_db
def test_bookmarks_import_by_uri_or_url_and_only_visible_posts(ada, bo, run_jobs):
    public = make_post(bo, "Public")
    private = make_post(bo, "Followers only", visibility="followers")
    by_url = make_post(bo, "By its link")
    text = (
        f"{public.uri}\n{private.uri}\nhttps://{DOMAIN}/@bo/{by_url.pk}\n"
        f"https://{DOMAIN}/@bo/1\nhttps://far.example/@x/1\n"
    )
    job = run_import(ada, "bookmarks", text, run_jobs)
    assert [row[0] for row in outcomes(job).values()] == [
        RowOutcome.IMPORTED,
        RowOutcome.NOT_FOUND,  # ada may not see it: nothing tells it exists
        RowOutcome.IMPORTED,
        RowOutcome.NOT_FOUND,
        RowOutcome.REMOTE,
    ]
    details = [detail for _outcome, detail in outcomes(job).values()]
    assert details[1] == details[3]  # a post ada may not see reads as an unknown one
    assert set(Bookmark.objects.filter(account=ada).values_list("status_id", flat=True)) == {
        public.pk,
        by_url.pk,
    }
    run_import(ada, "bookmarks", f"{by_url.uri}\n", run_jobs, mode="overwrite")
    assert list(Bookmark.objects.filter(account=ada).values_list("status_id", flat=True)) == [
        by_url.pk
    ]


@pytest.mark.django_db
def test_progress_and_resume_continue_at_the_first_unprocessed_row(
    ada, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "ROWS_PER_RUN", 2)
    handles = [f"teacher{number}" for number in range(5)]
    for handle in handles:
        make_profile(handle)
    job = import_create(
        actor=ada, upload=csv_file("\n".join(handles)), kind="following", mode="merge"
    )
    import_run(import_id=job.pk)
    job.refresh_from_db()
    assert job.state == ImportState.RUNNING
    assert (import_report(job).processed, import_report(job).total) == (2, 5)
    assert followees(ada) == {"teacher0", "teacher1"}
    # A worker dies after applying a row: the run after it starts at the next one and
    # applies nothing twice.
    import_run(import_id=job.pk)
    assert import_report(job).processed == 4
    import_run(import_id=job.pk)
    job.refresh_from_db()
    assert job.state == ImportState.FINISHED
    assert followees(ada) == set(handles)
    assert Follow.objects.filter(follower=ada).count() == 5
    import_run(import_id=job.pk)  # finished: a duplicate wake-up does nothing
    assert import_report(job).imported == 5


@pytest.mark.django_db
def test_one_import_at_a_time_and_retry_of_the_missing(ada, run_jobs):
    import_create(actor=ada, upload=csv_file("bo\n"), kind="following", mode="merge")
    with pytest.raises(Conflict):
        import_create(actor=ada, upload=csv_file("cy\n"), kind="blocks", mode="merge")
    run_jobs()
    job = ImportJob.objects.get(owner=ada)
    assert outcomes(job)[1][0] == RowOutcome.NOT_FOUND
    make_profile("bo")  # joins later
    import_retry(actor=ada, import_id=job.pk)
    run_jobs()
    job.refresh_from_db()
    assert job.state == ImportState.FINISHED
    assert outcomes(job)[1][0] == RowOutcome.IMPORTED
    other = make_profile("other")
    with pytest.raises(NotFound):
        import_retry(actor=other, import_id=job.pk)


@pytest.mark.django_db
def test_unknown_type_or_mode_is_refused(ada):
    with pytest.raises(ValidationFailed, match="type must be one of"):
        import_create(actor=ada, upload=csv_file("bo\n"), kind="posts", mode="merge")
    with pytest.raises(ValidationFailed, match="mode must be one of"):
        import_create(actor=ada, upload=csv_file("bo\n"), kind="blocks", mode="replace")
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_round_trip_from_an_archive_to_another_account(
    ada, bo, cy, locked, run_jobs, tmp_path, settings
):
    settings.DATA_DIR = tmp_path
    hal, ivy = make_profile("hal"), make_profile("ivy")
    follow_create(actor=ada, target=bo, reblogs=False, notify=True)
    follow_create(actor=ada, target=cy)
    math = purpose_list_create(actor=ada, title="Math resources")
    purpose_list_add_accounts(actor=ada, list_id=math.pk, profile_ids=[bo.pk, cy.pk])
    block_create(actor=ada, target=hal)
    mute_create(actor=ada, target=ivy, notifications=False)
    saved = make_post(bo, "Worth keeping")
    bookmark_create(actor=ada, status=saved)
    domain_block_create(actor=ada, domain="spam.example")

    target = tmp_path / "archive.zip"
    assert ada.user is not None
    archive_build(ada.user, target, parts=export_parts())
    zoe = make_profile("zoe")
    with zipfile.ZipFile(io.BytesIO(target.read_bytes())) as archive:
        for kind, name in [
            ("following", "following_accounts.csv"),
            ("lists", "lists.csv"),
            ("blocks", "blocked_accounts.csv"),
            ("mutes", "muted_accounts.csv"),
            ("bookmarks", "bookmarks.csv"),
            ("domain_blocks", "blocked_domains.csv"),
        ]:
            upload = SimpleUploadedFile(name, archive.read(name))
            job = import_create(actor=zoe, upload=upload, kind=kind, mode="merge")
            run_jobs()
            job.refresh_from_db()
            assert job.state == ImportState.FINISHED
            assert import_report(job).failed == 0, outcomes(job)

    def graph(profile: Profile) -> dict[str, object]:
        follows = Follow.objects.filter(follower=profile)
        return {
            "follows": {(f.followee_id, f.show_reblogs, f.notify) for f in follows},
            "lists": {
                (m.list.title, m.profile_id)
                for m in PurposeListMember.objects.filter(list__owner=profile).select_related(
                    "list"
                )
            },
            "blocks": set(
                Block.objects.filter(blocker=profile).values_list("blocked_id", flat=True)
            ),
            "mutes": set(
                Mute.objects.filter(muter=profile).values_list("muted_id", "hide_notifications")
            ),
            "bookmarks": set(
                Bookmark.objects.filter(account=profile).values_list("status_id", flat=True)
            ),
            "domains": set(
                DomainBlock.objects.filter(account=profile).values_list("domain", flat=True)
            ),
        }

    assert graph(zoe) == graph(ada)


@pytest.mark.django_db
def test_imports_are_in_the_archive_and_go_with_the_account(ada, run_jobs, tmp_path, settings):
    settings.DATA_DIR = tmp_path
    run_import(ada, "following", "nobody\n", run_jobs)
    parts = [part for part in export_parts() if part.name == "imports"]
    target = tmp_path / "archive.zip"
    assert ada.user is not None
    archive_build(ada.user, target, parts=parts)
    with zipfile.ZipFile(io.BytesIO(target.read_bytes())) as archive:
        document = json.loads(archive.read("imports.json"))
    [entry] = document["imports"]
    assert (entry["type"], entry["state"], entry["total"]) == ("following", "finished", 1)
    assert entry["not_imported"][0]["value"] == "nobody"
    User.objects.filter(pk=ada.user.pk).update(is_active=False)
    account_delete_run(user_id=ada.user.pk)
    assert not ImportJob.objects.exists()
    assert not ImportRow.objects.exists()


@pytest.mark.django_db
def test_a_stuck_import_is_failed_then_continued(ada, bo, run_jobs):
    job = import_create(actor=ada, upload=csv_file("bo\n"), kind="following", mode="merge")
    assert imports_unstick(older_than=timedelta(0)) == 0  # its job is pending: not stuck
    Job.objects.filter(task_path=IMPORT_TASK_PATH).update(status=JobStatus.DEAD)  # lost
    assert imports_unstick(older_than=timedelta(hours=1)) == 0  # too recent
    assert imports_unstick(older_than=timedelta(0)) == 1
    job.refresh_from_db()
    assert job.state == ImportState.FAILED
    import_create(actor=ada, upload=csv_file("cy\n"), kind="blocks", mode="merge")  # not blocked
    ImportJob.objects.filter(type="blocks").delete()
    import_retry(actor=ada, import_id=job.pk)  # "Continue the import"
    run_jobs()
    job.refresh_from_db()
    assert job.state == ImportState.FINISHED
    assert followees(ada) == {"bo"}
