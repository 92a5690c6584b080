"""The client address behind a proxy: forwarded headers count only from trusted proxies, so
rate limits key on the real client (SECURITY-PLAN R-2)."""

from typing import Any

from django.test import RequestFactory, override_settings

from staffroom.core.client_ip import client_ip


def _request(remote: str, forwarded: str | None = None):
    extra: dict[str, Any] = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_client_ip_ignores_forwarded_header_from_untrusted_peer():
    assert client_ip(_request("203.0.113.9", "10.0.0.1")) == "203.0.113.9"


@override_settings(STAFFROOM_TRUSTED_PROXIES=["127.0.0.1/32"])
def test_client_ip_reads_forwarded_header_from_trusted_proxy():
    assert client_ip(_request("127.0.0.1", "198.51.100.7")) == "198.51.100.7"


@override_settings(STAFFROOM_TRUSTED_PROXIES=["127.0.0.1", "10.0.0.0/8"])
def test_client_ip_skips_trusted_hops_and_ignores_client_supplied_prefix():
    # The client put a fake address first; the proxies appended the real one and themselves.
    request = _request("127.0.0.1", "1.2.3.4, 198.51.100.7, 10.1.2.3")
    assert client_ip(request) == "198.51.100.7"


@override_settings(STAFFROOM_TRUSTED_PROXIES=["127.0.0.1"])
def test_client_ip_falls_back_to_peer_on_garbage_header():
    assert client_ip(_request("127.0.0.1", "not-an-ip")) == "127.0.0.1"
