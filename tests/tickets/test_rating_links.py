"""The "solved" e-mail's rating links work without signing in, and only as they were made."""

import re
import time
from unittest import mock

import pytest
from django.core import signing

from tests.factories import make_ticket
from tickets.models import Rating
from tickets.rating_links import make_token
from tickets.services import change_status

pytestmark = pytest.mark.django_db


def _links(mail) -> dict[int, str]:
    found = re.findall(r"(\d): (https?://\S+)", mail.body)
    return {int(score): url.split("://", 1)[1].split("/", 1)[1] for score, url in found}


@pytest.fixture
def solved_mail(alice, acme_ticket, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        change_status(ticket=acme_ticket, to="solved", by=alice.user)
    (mail,) = mailoutbox
    return mail


def test_a_link_rates_without_signing_in_after_the_confirm_step(client, bob, solved_mail):
    links = _links(solved_mail)
    assert sorted(links) == [1, 2, 3, 4, 5]
    url = "/" + links[4]

    page = client.get(url)  # what a link scanner does
    assert page.status_code == 200
    body = page.content.decode()
    assert "Confirm my rating" in body
    assert re.search(r'<input[^>]*value="4"[^>]*checked', body)
    assert not Rating.objects.exists()

    done = client.post(url.split("?")[0], {"score": "4", "comment": "Quick and kind"})
    assert done.status_code == 200
    assert "Thank you for your rating" in done.content.decode()
    rating = Rating.objects.get()
    assert (rating.score, rating.comment) == (4, "Quick and kind")
    assert rating.ticket.requester == bob.user


def _refused(response, words, status=400):
    assert response.status_code == status
    body = response.content.decode()
    assert words in body
    assert "Acme" not in body  # the helpdesk is not named to whoever holds a bad link
    assert not Rating.objects.exists()


def _page(response):
    # Per-response values (CSP nonce, CSRF token) aside.
    return re.sub(rb'(nonce|value)="[^"]*"', b"", response.content)


def test_forged_or_foreign_purpose_tokens_are_refused(client, acme_ticket, solved_mail):
    base = f"/t/acme/tickets/{acme_ticket.number}/rate/"
    token = make_token(acme_ticket)
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    other_purpose = signing.dumps(
        {"ticket": acme_ticket.pk, "requester": acme_ticket.requester_id}, salt="elsewhere"
    )
    for bad in [tampered, "nonsense", other_purpose]:
        # 404, word for word the answer to an unknown slug: a forged link learns nothing.
        unknown = _page(client.get(f"/t/no-such-helpdesk/tickets/1/rate/{bad}/"))
        for response in (client.get(f"{base}{bad}/?score=5"), client.post(f"{base}{bad}/")):
            assert response.status_code == 404
            assert _page(response).replace(b"acme", b"no-such-helpdesk") == unknown
            assert b"rating link" not in response.content


def test_expired_token_is_refused(client, acme_ticket, solved_mail, settings):
    settings.RATING_LINK_MAX_AGE_DAYS = 30
    with mock.patch("time.time", return_value=time.time() - 31 * 24 * 3600):
        old = make_token(acme_ticket)
    url = f"/t/acme/tickets/{acme_ticket.number}/rate/{old}/"
    _refused(client.get(url), "This rating link has expired.")
    _refused(client.post(url, {"score": "5"}), "This rating link has expired.")


def test_a_token_works_only_for_its_own_ticket(client, acme, bob, billing, acme_ticket, alice):
    other = make_ticket(acme, bob.user, billing, subject="Second problem")
    change_status(ticket=other, to="solved", by=alice.user)
    token = make_token(acme_ticket)
    url = f"/t/acme/tickets/{other.number}/rate/{token}/"
    _refused(client.post(url, {"score": "1"}), "This rating link is not for this request.")
    _refused(client.get(url), "This rating link is not for this request.")


def test_a_deactivated_requester_s_link_stops_working(client, bob, acme_ticket, solved_mail):
    bob.status = bob.Status.DEACTIVATED
    bob.save(update_fields=["status"])
    url = "/" + _links(solved_mail)[5].split("?")[0]
    _refused(client.post(url, {"score": "5"}), "no longer valid")


def test_a_closed_request_says_so_on_the_form(client, alice, acme_ticket, solved_mail):
    change_status(ticket=acme_ticket, to="closed", by=alice.user)
    url = "/" + _links(solved_mail)[5].split("?")[0]
    response = client.post(url, {"score": "5"})
    assert response.status_code == 200
    assert "its rating can no longer change" in response.content.decode()
    assert not Rating.objects.exists()
