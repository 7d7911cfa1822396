"""Rating links in the "solved" e-mail: signed, for one ticket and its requester, expiring.

The link works without signing in, so it carries its own proof: ``signing`` with a salt used for
nothing else (a token made for another purpose never passes here) and a maximum age. Following
it only shows the score to confirm; the rating is recorded by the POST of that page, which a
mail scanner fetching links never sends.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Membership

from .models import Ticket

SALT = "tickets.rating-link"


class LinkRefused(Exception):  # noqa: N818 (a refusal is an outcome, not an error)
    def __init__(self, reason: str, status: int = 400):
        super().__init__(reason)
        self.reason = reason
        # A link not signed here answers 404, as any outsider's URL does.
        self.status = status


def make_token(ticket: Ticket) -> str:
    return signing.dumps({"ticket": ticket.pk, "requester": ticket.requester_id}, salt=SALT)


def link(ticket: Ticket, score: int | None = None) -> str:
    path = reverse(
        "tickets:rate_by_link", args=[ticket.tenant.slug, ticket.number, make_token(ticket)]
    )
    query = f"?score={score}" if score else ""
    return settings.SITE_URL.rstrip("/") + path + query


def ticket_for(token: str, *, tenant, number: int) -> Ticket:
    """The ticket the token was made for, if it is this URL's and its requester still belongs."""
    try:
        data = signing.loads(
            token, salt=SALT, max_age=settings.RATING_LINK_MAX_AGE_DAYS * 24 * 3600
        )
    except signing.SignatureExpired as error:
        raise LinkRefused(
            _("This rating link has expired. Sign in to rate your request from its page.")
        ) from error
    except signing.BadSignature as error:
        raise LinkRefused(_("This rating link is not valid."), status=404) from error
    if not isinstance(data, dict):
        raise LinkRefused(_("This rating link is not valid."), status=404)
    ticket = (
        Ticket.objects.for_tenant(tenant)
        .select_related("requester", "tenant")
        .filter(number=number, pk=data.get("ticket"), requester_id=data.get("requester"))
        .first()
    )
    if ticket is None:
        raise LinkRefused(_("This rating link is not for this request."))
    still_member = (
        Membership.objects.for_tenant(tenant).active().filter(user_id=ticket.requester_id)
    )
    if not still_member.exists():
        raise LinkRefused(_("This rating link is no longer valid."))
    return ticket
