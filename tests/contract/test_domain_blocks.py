"""User domain blocks against a real `staffroom serve`, driven by stock Mastodon.py 2.3.3:
`domain_block()`, `domain_blocks()` (paged with the Link header), `domain_unblock()`, and
the 422s for an invalid domain and the server's own. `heidi` plays the part; every block is
undone at the end, so the other contract modules see her as she was."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from mastodon import Mastodon, MastodonAPIError

from tests.contract.conftest import ContractServer, RegisteredApp, signed_in_client

pytestmark = pytest.mark.contract
DOMAINS = ["one.example", "two.example", "three.example"]


@pytest.fixture(scope="module")
def heidi(contract_server: ContractServer, contract_app: RegisteredApp) -> Iterator[Mastodon]:
    api = signed_in_client(contract_server, contract_app, "heidi")
    yield api
    for domain in [*DOMAINS, "xn--bcher-kva.example"]:
        api.domain_unblock(domain)


def test_domain_block_list_page_and_unblock(heidi: Mastodon) -> None:
    for domain in DOMAINS:
        heidi.domain_block(domain)
    heidi.domain_block("one.example")  # again: nothing changes
    first = heidi.domain_blocks(limit=2)
    assert list(first) == ["three.example", "two.example"]
    rest = heidi.fetch_next(first)
    assert rest is not None
    assert list(rest) == ["one.example"]
    heidi.domain_unblock("two.example")
    assert list(heidi.domain_blocks()) == ["three.example", "one.example"]
    heidi.domain_unblock("never-blocked.example")  # as Mastodon: no error
    heidi.domain_block("Bücher.Example")
    assert list(heidi.domain_blocks(limit=1)) == ["xn--bcher-kva.example"]


def test_domain_block_refuses_what_is_not_a_domain(
    heidi: Mastodon, contract_server: ContractServer
) -> None:
    for bad in [
        "https://x.example/path",
        "not a domain",
        urlsplit(contract_server.base_url).netloc,
    ]:
        with pytest.raises(MastodonAPIError) as raised:
            heidi.domain_block(bad)
        assert raised.value.args[1] == 422
