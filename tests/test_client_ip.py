"""Whom a request comes from: forwarding headers count only from our own proxies."""

import pytest
from django.test import RequestFactory

from core.client import client_ip


def request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_a_header_from_a_stranger_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


@pytest.mark.parametrize(
    ("forwarded", "client"),
    [
        ("198.51.100.1", "198.51.100.1"),
        # The client wrote the left part itself: only the hop our proxy added counts.
        ("1.2.3.4, 198.51.100.1", "198.51.100.1"),
        # Two of our proxies in a row: the first address neither of them is.
        ("1.2.3.4, 198.51.100.1, 10.0.0.7", "198.51.100.1"),
        ("2001:db8::1", "2001:db8::1"),
        # Nonsense in the header: the proxy's own address, not the nonsense.
        ("not-an-address", "10.0.0.2"),
        ("", "10.0.0.2"),
    ],
)
def test_behind_a_trusted_proxy_the_first_untrusted_hop_is_the_client(settings, forwarded, client):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "127.0.0.1"]
    assert client_ip(request("10.0.0.2", forwarded)) == client


def test_a_bad_trusted_proxies_setting_says_so(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.TRUSTED_PROXIES = ["not-a-network"]
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
        client_ip(request("10.0.0.2", "1.2.3.4"))
