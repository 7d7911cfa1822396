"""The client's address: the one place that decides whom a request comes from.

``X-Forwarded-For`` is written by whoever sends the request, so it is believed only when the
request reaches us from a proxy listed in ``TRUSTED_PROXIES``, and then only back to the first
hop that is not one of ours: everything left of it is whatever the client chose to send.
Sign-in limits, API throttles and sign-up floods all count by this address.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple:
    try:
        return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)
    except ValueError as error:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {error}") from error


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def client_ip(request) -> str:
    """The address of the client, as far back as our own proxies vouch for it."""
    if request is None:
        return ""
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if not _trusted(_address(remote), networks):
        return remote
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # garbage in the header: stop at the last proxy that vouched
        if not _trusted(address, networks):
            return str(address)
        remote = str(address)
    return remote
