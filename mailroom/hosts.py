"""Which IMAP servers the helpdesk may dial: those on the public internet only.

A tenant admin names the server, so without this check they could point the fetcher at
services inside the operator's network (cloud metadata at 169.254.169.254, a database on
127.0.0.1). Every address a name resolves to is checked, at save and again at connect time
(DNS can change in between), and the connection goes to the very address that was checked.
``IMAP_ALLOW_PRIVATE_HOSTS`` lets an operator (and the tests' dovecot on 127.0.0.1) read
servers of their own network.
"""

from __future__ import annotations

import imaplib
import ipaddress
import socket

from django.conf import settings
from django.utils.translation import gettext as _


class InternalHost(Exception):  # noqa: N818 (a refusal, with words for an admin)
    pass


def _internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone says nothing here
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def _refusal(host: str, address: str) -> InternalHost:
    return InternalHost(
        _(
            "%(host)s is an internal address (%(address)s): the helpdesk reads only "
            "mailboxes on servers of the public internet."
        )
        % {"host": host, "address": address}
    )


def public_addresses(host: str, port: int) -> list[str]:
    """Every address ``host`` stands for, all public, or ``InternalHost``; a name that
    does not resolve raises ``OSError`` (socket.gaierror)."""
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if literal is not None:
        found = [str(literal)]
    else:
        found = list(
            dict.fromkeys(
                info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            )
        )
    for address in found:
        if _internal(address):
            raise _refusal(host, address)
    return found


def internal_host_refusal(host: str) -> str | None:
    """At save: why ``host`` may not be dialled, or None. A name that does not resolve now
    is let through: it is checked again whenever it is dialled."""
    if settings.IMAP_ALLOW_PRIVATE_HOSTS:
        return None
    try:
        public_addresses(host, 0)
    except InternalHost as refusal:
        return str(refusal)
    except (OSError, UnicodeError):  # UnicodeError: IDNA
        return None
    return None


class _Vetted:
    """Dials the checked address, not the name again (which could resolve elsewhere now)."""

    def __init__(self, host, port, *, address: str, **kwargs):
        self._address = address
        super().__init__(host, port, **kwargs)

    def _dial(self, timeout):
        return socket.create_connection((self._address, self.port), timeout)


class _PlainClient(_Vetted, imaplib.IMAP4):
    def _create_socket(self, timeout):
        return self._dial(timeout)


class _TlsClient(_Vetted, imaplib.IMAP4_SSL):
    def _create_socket(self, timeout):
        # The certificate is checked for the name the admin gave.
        return self.ssl_context.wrap_socket(self._dial(timeout), server_hostname=self.host)


def connect(host: str, port: int, *, tls: bool, ssl_context, timeout: float) -> imaplib.IMAP4:
    """An IMAP client to ``host``, refusing (``InternalHost``) one inside the network."""
    if settings.IMAP_ALLOW_PRIVATE_HOSTS:
        if tls:
            return imaplib.IMAP4_SSL(host, port, ssl_context=ssl_context, timeout=timeout)
        return imaplib.IMAP4(host, port, timeout=timeout)
    address = public_addresses(host, port)[0]
    if tls:
        return _TlsClient(host, port, address=address, ssl_context=ssl_context, timeout=timeout)
    return _PlainClient(host, port, address=address, timeout=timeout)
