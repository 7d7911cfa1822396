"""Text people typed keeps its own direction inside Hebrew chrome: the ticket sidebar showed
"How do I change my #136 / ?billing address" before its subjects were isolated."""

import re

import pytest
from django.conf import settings

from tests.factories import make_ticket

from .conftest import ticket_url

SUBJECT = "How do I change my billing address?"


@pytest.fixture
def address(acme, bob, billing, acme_ticket):
    return make_ticket(acme, bob.user, billing, subject=SUBJECT)


def _in_hebrew(client, member, url):
    client.force_login(member.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "he"
    page = client.get(url).content.decode()
    assert '<html lang="he" dir="rtl"' in page or 'dir="rtl"' in page
    return page


def test_the_staff_sidebar_isolates_the_requesters_other_subjects(
    client, alice, acme_ticket, address
):
    page = _in_hebrew(client, alice, ticket_url(acme_ticket))

    assert f"#{address.number} <bdi>{SUBJECT}</bdi></a>" in page
    # The page's title holds no element: Unicode's isolates do the same there.
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "\u2068Charged twice\u2069" in title


def test_the_customer_sees_subjects_and_names_isolated(client, bob, alice, address):
    portal = _in_hebrew(client, bob, "/t/acme/portal/")
    ticket = _in_hebrew(client, bob, ticket_url(address))

    assert f"<bdi>{SUBJECT}</bdi>" in portal
    assert f"<h1>#{address.number} <bdi>{SUBJECT}</bdi></h1>" in ticket
    assert f"\u2068{SUBJECT}\u2069" in re.search(r"<title>(.*?)</title>", ticket, re.S).group(1)
