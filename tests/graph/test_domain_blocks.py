"""Domain blocks: the service (validation, idempotence, followers from the server removed),
`/api/v1/domain_blocks`, the Blocked domains section of Settings → Blocks, and the export."""

from __future__ import annotations

import io
import zipfile

import pytest

from staffroom.accounts.models import User
from staffroom.core.exceptions import ValidationFailed
from staffroom.graph.models import DomainBlock, Follow
from staffroom.graph.services import (
    domain_block_create,
    domain_block_delete,
    domain_normalize,
    follow_create,
)
from staffroom.leaving.deletion import account_delete_run
from staffroom.leaving.export import archive_build, export_parts
from tests.factories import make_remote_profile
from tests.graph.test_api_helpers import bearer, call, link_params


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("Example.ORG", "example.org"),
        ("  @social.example. ", "social.example"),
        ("*.spam.example", "spam.example"),
        ("bücher.example", "xn--bcher-kva.example"),
        ("a-b.c0.example", "a-b.c0.example"),
    ],
)
def test_domain_normalize_accepts_and_lowercases(given, stored):
    assert domain_normalize(given) == stored


@pytest.mark.parametrize(
    "given",
    [
        "",
        "https://example.org",
        "example.org/path",
        "example.org:443",
        "user@example.org",
        "exa mple.org",
        "-bad.example",
        "bad-.example",
        "a..b",
        "x" * 64 + ".example",
        ".".join(["abcdefghi"] * 26),  # 259 characters
    ],
)
def test_domain_normalize_refuses_what_is_not_a_domain(given):
    with pytest.raises(ValidationFailed):
        domain_normalize(given)


@pytest.mark.django_db
def test_domain_block_is_idempotent_and_refuses_our_own_domain(ada, settings):
    settings.STAFFROOM_DOMAIN = "staffroom.example:8000"
    first = domain_block_create(actor=ada, domain="Spam.Example")
    again = domain_block_create(actor=ada, domain="spam.example")
    assert first.pk == again.pk
    assert DomainBlock.objects.filter(account=ada).count() == 1
    with pytest.raises(ValidationFailed, match="own server"):
        domain_block_create(actor=ada, domain="STAFFROOM.example")
    assert domain_block_delete(actor=ada, domain="SPAM.example") is True
    assert domain_block_delete(actor=ada, domain="spam.example") is False


@pytest.mark.django_db
def test_domain_block_removes_followers_from_that_server_only(ada, bo):
    remote = make_remote_profile("rem", "spam.example")
    elsewhere = make_remote_profile("ok", "fine.example")
    for follower in (remote, elsewhere, bo):
        follow_create(actor=follower, target=ada)
    follow_create(actor=ada, target=remote)  # Mastodon keeps the blocker's own follows
    domain_block_create(actor=ada, domain="spam.example")
    followers = set(Follow.objects.filter(followee=ada).values_list("follower_id", flat=True))
    assert followers == {elsewhere.pk, bo.pk}
    assert Follow.objects.filter(follower=ada, followee=remote).exists()


@pytest.mark.django_db
def test_api_domain_blocks_block_list_and_unblock(client, ada, bo):
    headers = bearer(ada)
    for domain in ("one.example", "two.example", "three.example"):
        response = call(client, "POST", "/api/v1/domain_blocks", headers, {"domain": domain})
        assert response.status_code == 200, response.content
        assert response.json() == {}
    page = client.get("/api/v1/domain_blocks?limit=2", **headers)
    assert page.status_code == 200
    assert page.json() == ["three.example", "two.example"]
    older = client.get(f"/api/v1/domain_blocks?{link_params(page)['next']}", **headers)
    assert older.json() == ["one.example"]
    # A form body and the query string work too (Mastodon.py sends either).
    removed = client.delete("/api/v1/domain_blocks?domain=two.example", **headers)
    assert removed.status_code == 200
    assert removed.json() == {}
    assert client.get("/api/v1/domain_blocks", **headers).json() == [
        "three.example",
        "one.example",
    ]
    # Nobody else sees or changes them.
    assert client.get("/api/v1/domain_blocks", **bearer(bo)).json() == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body", [{}, {"domain": ""}, {"domain": "https://x.example/"}, {"domain": "a" * 300}]
)
def test_api_domain_block_bad_input_is_a_422(client, ada, body):
    response = call(client, "POST", "/api/v1/domain_blocks", bearer(ada), body)
    assert response.status_code == 422
    assert "error" in response.json()


@pytest.mark.django_db
def test_api_domain_block_of_our_own_domain_is_a_422(client, ada, settings):
    response = call(
        client, "POST", "/api/v1/domain_blocks", bearer(ada), {"domain": settings.STAFFROOM_DOMAIN}
    )
    assert response.status_code == 422
    assert "own server" in response.json()["error"]


@pytest.mark.django_db
def test_api_domain_blocks_scopes(client, ada):
    assert client.get("/api/v1/domain_blocks").status_code == 401
    read_only = bearer(ada, "read:blocks")
    assert client.get("/api/v1/domain_blocks", **read_only).status_code == 200
    denied = call(client, "POST", "/api/v1/domain_blocks", read_only, {"domain": "x.example"})
    assert denied.status_code == 403
    follow = bearer(ada, "follow")
    allowed = call(client, "POST", "/api/v1/domain_blocks", follow, {"domain": "x.example"})
    assert allowed.status_code == 200


@pytest.mark.django_db
def test_blocks_page_lists_adds_and_removes_blocked_domains(client_for, user):
    client = client_for(user)
    empty = client.get("/settings/blocks")
    assert "You block no servers." in empty.content.decode()
    added = client.post("/settings/blocks/domains", {"domain": "Spam.Example"}, follow=True)
    page = added.content.decode()
    assert "You block spam.example now." in page
    assert "Unblock spam.example" in page
    refused = client.post("/settings/blocks/domains", {"domain": "https://x.example/a"})
    assert refused.status_code == 422
    assert "not a valid domain name" in refused.content.decode()
    removed = client.post(
        "/settings/blocks/domains/remove", {"domain": "spam.example"}, follow=True
    )
    assert "You no longer block spam.example." in removed.content.decode()
    assert not DomainBlock.objects.exists()


@pytest.mark.django_db
def test_blocked_domains_csv_is_in_the_archive(ada, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    domain_block_create(actor=ada, domain="one.example")
    domain_block_create(actor=ada, domain="two.example")
    parts = [part for part in export_parts() if part.name == "domain_blocks"]
    target = tmp_path / "archive.zip"
    assert ada.user is not None
    archive_build(ada.user, target, parts=parts)
    with zipfile.ZipFile(io.BytesIO(target.read_bytes())) as archive:
        assert archive.read("blocked_domains.csv").decode() == "one.example\ntwo.example\n"


@pytest.mark.django_db
def test_domain_blocks_go_with_the_account(ada, run_jobs):
    domain_block_create(actor=ada, domain="one.example")
    assert ada.user is not None
    User.objects.filter(pk=ada.user.pk).update(is_active=False)
    account_delete_run(user_id=ada.user.pk)
    assert not DomainBlock.objects.exists()
