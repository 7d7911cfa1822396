"""Query budgets: every list page and list endpoint, with its exact query count when empty
and when showing a full page of rows with their related objects, so an N+1 fails here.

How the counts are made stable: each URL is requested once unmeasured, then measured on
its second request. The first visit of a member writes one-off rows and fills caches that
are no part of a list's cost (last_seen, the tenant's settings, the staff lists, the news
banner, queue grants, the deflection panel, the dashboard's figures); the second request is
what a member pays on every later visit, and it is the same whatever the shared Redis holds
(every key is tenant- or version-scoped, and the tenant's rows are new in each test). The
lists themselves are never cached, so their queries are all counted. The API is measured
with ``force_authenticate`` (no token lookup) and pages with ``force_login``.

"Empty" is a fresh helpdesk: its built-in roles and the cast of tests/conftest.py, no
tickets, queues, articles, news, ideas, kudos, invitations or rules. Lists under one object
(a ticket's comments, an article's history, an announcement's readers...) are measured
with that object present and no rows under it. "Full" is FULL rows of everything, each with
tags, assignees, organizations, comments, attachments, votes and readers, and the page
size brought down to FULL so the page is full.

Every route of the URL conf is either budgeted here (BUDGETS) or named in NOT_LISTS with
why it is not a list: a new route fails test_every_route_is_budgeted_or_not_a_list.
To measure again after a deliberate change, run with QUERY_BUDGETS_MEASURE=1 and -s: the
counts are printed instead of checked.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import IdentityProvider, JoiningRule, Membership, Organization, Role
from accounts.services import (
    add_joining_rule,
    add_member,
    invite,
    request_access,
    set_absence,
)
from accounts.tokens import issue_token
from knowledge.models import Deflection
from knowledge.services import (
    mark_announcement_read,
    publish_announcement,
    save_article,
    set_onboarding_checklist,
    suggest_idea,
    thank_agent,
    toggle_vote,
)
from mailroom.models import InboundMessage
from metrics.models import ReportSubscription
from notifications.models import Notification
from tickets.models import Mailbox, SavedFilter
from tickets.services import (
    add_comment,
    add_macro,
    assign_ticket,
    attach_file,
    change_status,
    create_calendar,
    create_sla_policy,
    rate_ticket,
    set_tags,
)

from .factories import make_member, make_queue, make_tenant, make_ticket, role
from .test_isolation import _patterns

pytestmark = pytest.mark.django_db

FULL = 5  # rows per list in the full state; page sizes are brought down to it


@dataclass(frozen=True)
class Budget:
    route: str  # the URL conf's pattern
    who: str  # the member who asks
    url: str  # with {ticket}, {announcement}, {article}, {agent}, {person}, {org}
    empty: int  # queries with no rows
    full: int  # queries with a full page of rows
    child: bool = False  # a list under one object, which exists in both states


P = "t/<slug:slug>/"
A = "api/v1/t/<slug:slug>/"
S = f"?page_size={FULL}"

# A page costs 2 queries before its list (the session's user, the membership), and 2 more
# for an admin (the navigation's counts of pending members and access requests). An API
# request costs 1 (the membership; force_authenticate skips the token). A paginated list
# adds its page and its count; "+n with rows" is a prefetch that runs only when rows exist.
BUDGETS = [
    # Pages.
    # members, their roles, organizations; the filters' roles and organizations
    Budget(P + "people/", "ada", "/t/acme/people/", 8, 8),
    # pending members, access requests and their history; +1 with rows
    Budget(P + "people/approvals/", "ada", "/t/acme/people/approvals/", 8, 9),
    # the member's absences with their substitutes, the form's staff, who is away today
    Budget(P + "people/away/", "alice", "/t/acme/people/away/", 5, 5),
    # one grouped query of open tickets, one of this week's breaches (the staff: cached)
    Budget(P + "people/workload/", "ada", "/t/acme/people/workload/", 6, 6),
    # a count, the page, the form's roles and organizations (cursors)
    Budget(P + "people/invitations/", "ada", "/t/acme/people/invitations/", 7, 8),
    Budget(P + "roles/", "ada", "/t/acme/roles/", 5, 5),
    # rules twice (list, reachability), the form's roles and organizations
    Budget(P + "joining-rules/", "ada", "/t/acme/joining-rules/", 7, 7),
    # calendars, policies with their calendars, the names of conditions (queues,
    # organizations, roles), the form's roles; +4 with rows: holidays, and the new policy's
    # calendars, queues and organizations (the form shows once there is a calendar)
    Budget(P + "settings/service-levels/", "ada", "/t/acme/settings/service-levels/", 10, 14),
    # a count and the page of entries with their actors
    Budget(P + "audit-log/", "ada", "/t/acme/audit-log/", 6, 6),
    # the requester's tickets in one query
    Budget(P + "portal/", "bob", "/t/acme/portal/", 3, 3),
    # +3 with rows: tags prefetched, saved views, queues of the filter; the views' counts in
    # one statement (counted here on every request), whatever the views and rows
    Budget(P + "workspace/", "alice", "/t/acme/workspace/" + S, 6, 9),
    # the macros with their roles, the form's staff list
    Budget(P + "macros/", "alice", "/t/acme/macros/", 3, 3),
    # searching: +1 the people and companies the text names; +1 with rows: where the words
    # matched, for the page in one query
    Budget(P + "workspace/", "alice", "/t/acme/workspace/" + S + "&q=refund", 7, 11),
    # the queues; +1 with rows: their grants prefetched
    Budget(P + "queues/", "ada", "/t/acme/queues/", 6, 7),
    # the metrics state and the rollups of each figure and slice (queue, agent, channel, SLA
    # policy): none per row
    Budget(P + "metrics/", "ada", "/t/acme/metrics/", 19, 19),
    # agents, their rollups, ratings and tickets, each once
    Budget(P + "metrics/people/", "ada", "/t/acme/metrics/people/", 14, 14),
    Budget(P + "metrics/subscriptions/", "ada", "/t/acme/metrics/subscriptions/", 5, 5),
    # the dashboard's figures, without the page's chrome
    Budget(P + "metrics/export.csv", "ada", "/t/acme/metrics/export.csv", 17, 17),
    # +1 with rows: the categories of the listed guides
    Budget(P + "kb/", "alice", "/t/acme/kb/", 4, 5),
    Budget(P + "kb/suggest/", "bob", "/t/acme/kb/suggest/?q=refund", 3, 3),
    # settings, guides, deflection counts, categories
    Budget(P + "kb/manage/", "ada", "/t/acme/kb/manage/", 9, 9),
    # +3 with checklists: their guides (read once for the forms and the overview), acks
    Budget(P + "onboarding/", "ada", "/t/acme/onboarding/", 7, 10),
    # +1 with rows: which of them the member read
    Budget(P + "news/", "alice", "/t/acme/news/", 3, 4),
    # +1 with rows: the member's votes
    Budget(P + "ideas/", "alice", "/t/acme/ideas/", 3, 4),
    # notes and ratings, one query each
    Budget(P + "kudos/", "alice", "/t/acme/kudos/", 4, 4),
    # +1: whether the person has an authenticator (tokens then need a session that gave a code)
    Budget("accounts/tokens/", "ada", "/accounts/tokens/", 3, 3),
    # the page of notifications with their tickets, one query (no count: a next page or not)
    Budget(P + "notifications/", "alice", "/t/acme/notifications/", 3, 3),
    # the support addresses with their queues, one query
    Budget(P + "settings/mailboxes/", "ada", "/t/acme/settings/mailboxes/", 5, 5),
    Budget(P + "identity-providers/", "ada", "/t/acme/identity-providers/", 5, 5),
    # the page of failed mail with its addresses and tickets, one query (no count)
    Budget(P + "settings/inbound-mail/", "ada", "/t/acme/settings/inbound-mail/", 5, 5),
    # Pages of one object's rows.
    # ticket, tags, attachments, members, timeline, queues, related, the picker's macros
    Budget(P + "tickets/<id:number>/", "alice", "/t/acme/tickets/{ticket}/", 10, 10, True),
    # the person, the tickets, one query of totals
    Budget(
        P + "history/people/<id:user_id>/",
        "alice",
        "/t/acme/history/people/{person}/",
        5,
        5,
        True,
    ),
    # the organization, the tickets, the totals
    Budget(
        P + "history/organizations/<id:org_id>/",
        "alice",
        "/t/acme/history/organizations/{org}/",
        5,
        5,
        True,
    ),
    # the guide and its versions with their authors
    Budget(
        P + "kb/manage/<id:pk>/history/",
        "ada",
        "/t/acme/kb/manage/{article}/history/",
        6,
        6,
        True,
    ),
    # announcement, reads, recipients
    Budget(
        P + "news/<id:pk>/readers/",
        "ada",
        "/t/acme/news/{announcement}/readers/",
        7,
        7,
        True,
    ),
    # the person, their absences with their substitutes, the form's staff, who is away today
    Budget(P + "people/<id:user_id>/away/", "sam", "/t/acme/people/{agent_user}/away/", 6, 6, True),
    # the agent, notes and ratings (a cursor for the members)
    Budget(P + "kudos/<id:member_id>/", "sam", "/t/acme/kudos/{agent}/", 7, 7, True),
    # API.
    # the membership; the permissions come from its role
    Budget(A + "me/", "ada", "/api/v1/t/acme/me/", 1, 1),
    # memberships with their tenants and roles, one query
    Budget("api/v1/me/", "ada", "/api/v1/me/", 1, 1),
    Budget("api/v1/auth/tokens/", "ada", "/api/v1/auth/tokens/" + S, 2, 2),
    Budget(A + "joining-rules/", "ada", "/api/v1/t/acme/joining-rules/" + S, 3, 3),
    Budget(A + "approvals/", "ada", "/api/v1/t/acme/approvals/" + S, 3, 3),
    Budget(A + "invitations/", "ada", "/api/v1/t/acme/invitations/" + S, 3, 3),
    Budget(A + "users/", "ada", "/api/v1/t/acme/users/" + S, 3, 3),
    Budget(A + "roles/", "ada", "/api/v1/t/acme/roles/" + S, 3, 3),
    Budget(A + "audit-log/", "ada", "/api/v1/t/acme/audit-log/" + S, 3, 3),
    # +1 with rows: tags
    Budget(A + "tickets/", "alice", "/api/v1/t/acme/tickets/" + S, 3, 4),
    # searching: +1 the people and companies the text names
    Budget(A + "tickets/", "alice", "/api/v1/t/acme/tickets/" + S + "&q=refund", 4, 5),
    # +1 with rows: grants
    Budget(A + "queues/", "ada", "/api/v1/t/acme/queues/" + S, 3, 4),
    # the page and its count (a shared macro's role joined)
    Budget(A + "macros/", "alice", "/api/v1/t/acme/macros/" + S, 3, 3),
    # +1 with rows: holidays
    Budget(A + "calendars/", "ada", "/api/v1/t/acme/calendars/" + S, 3, 4),
    # the policies (their calendar is an id)
    Budget(A + "sla-policies/", "ada", "/api/v1/t/acme/sla-policies/" + S, 3, 3),
    # +1 with rows: audience roles
    Budget(A + "articles/", "alice", "/api/v1/t/acme/articles/" + S, 3, 4),
    # one search query, not paginated
    Budget(A + "suggestions/", "bob", "/api/v1/t/acme/suggestions/?q=refund", 2, 2),
    Budget(A + "deflections/", "ada", "/api/v1/t/acme/deflections/" + S, 3, 3),
    # +1 with rows: audience roles (the reads are annotated)
    Budget(A + "announcements/", "alice", "/api/v1/t/acme/announcements/" + S, 3, 4),
    Budget(A + "ideas/", "alice", "/api/v1/t/acme/ideas/" + S, 3, 3),
    Budget(A + "kudos/notes/", "alice", "/api/v1/t/acme/kudos/notes/" + S, 3, 3),
    Budget(A + "kudos/", "alice", "/api/v1/t/acme/kudos/" + S, 3, 3),
    # the page with its tickets and its count
    Budget(A + "notifications/", "alice", "/api/v1/t/acme/notifications/" + S, 3, 3),
    # the page and its count
    Budget(A + "mailboxes/", "ada", "/api/v1/t/acme/mailboxes/" + S, 3, 3),
    Budget(A + "identity-providers/", "ada", "/api/v1/t/acme/identity-providers/" + S, 3, 3),
    # the page with its addresses and tickets, and its count
    Budget(A + "inbound-messages/", "ada", "/api/v1/t/acme/inbound-messages/" + S, 3, 3),
    # the ticket with its tags, the page and its count
    Budget(
        A + "tickets/<id:pk>/comments/",
        "alice",
        "/api/v1/t/acme/tickets/{ticket_pk}/comments/" + S,
        5,
        5,
        True,
    ),
    # the ticket, the page and its count
    Budget(
        A + "tickets/<id:pk>/attachments/",
        "alice",
        "/api/v1/t/acme/tickets/{ticket_pk}/attachments/" + S,
        4,
        4,
        True,
    ),
    # announcement, roles, reads, recipients
    Budget(
        A + "announcements/<id:pk>/readers/",
        "ada",
        "/api/v1/t/acme/announcements/{announcement}/readers/" + S,
        5,
        5,
        True,
    ),
]

NOT_LISTS = {  # route: why it has no list to budget
    P + "settings/mailboxes/new/": "a form or its POST: one object, no rows",
    P + "settings/mailboxes/<id:pk>/": "a form or its POST: one object, no rows",
    P + "settings/mailboxes/<id:pk>/delete/": "a confirmation or its POST: one object",
    P + "settings/inbound-mail/<id:pk>/": "one message",
    P + "settings/inbound-mail/<id:pk>/retry/": "an action (POST), not a list",
    P + "settings/inbound-mail/<id:pk>/discard/": "an action (POST), not a list",
    A + "mailboxes/<id:pk>/": "one object",
    A + "identity-providers/<id:pk>/": "one object",
    P + "identity-providers/<id:provider_id>/delete/": "an action (POST), not a list",
    P + "sso/<id:provider_id>/start/": "a redirect to the identity provider",
    "accounts/sso/callback/": "the identity provider's answer, then a redirect",
    A + "inbound-messages/<id:pk>/": "one object",
    A + "inbound-messages/<id:pk>/retry/": "an action (POST), not a list",
    A + "inbound-messages/<id:pk>/discard/": "an action (POST), not a list",
    "": "the helpdesks of the member, or a redirect to the only one (api/v1/me/ is budgeted)",
    "accounts/login/": "sign-in form",
    "accounts/logout/": "an action (POST), not a list",
    "accounts/password/change/": "password form",
    "accounts/password/change/done/": "a notice",
    "accounts/password/reset/": "password form",
    "accounts/password/reset/sent/": "a notice",
    "accounts/password/reset/<uidb64>/<token>/": "password form",
    "accounts/password/reset/done/": "a notice",
    "accounts/tokens/<id:token_id>/revoke/": "an action (POST), not a list",
    "accounts/login/code/": "sign-in form (its second step)",
    "accounts/two-factor/": "one's own authenticator: a form, its recovery codes shown once",
    P + "people/<id:user_id>/two-factor/reset/": "an action (POST), not a list",
    "language/": "an action (POST), not a list",
    "healthz/": "health check",
    "readyz/": "health check",
    "api/v1/auth/token/": "an action (POST), not a list",
    "api/v1/auth/tokens/<id:pk>/": "an action (POST), not a list",
    "api/v1/schema/": "the schema of the API, from code",
    "api/v1/docs/": "the documentation page of the API",
    "t/<slug:slug>/": "a redirect to the start page of the member",
    P + "join/": "a form or its POST: one object, no rows",
    P + "join/sent/": "a notice",
    P + "verify/<str:token>/": "an action (POST), not a list",
    P + "waiting/": "a notice",
    P + "welcome/": "a notice",
    P + "invitations/<str:token>/": "a form or its POST: one object, no rows",
    P + "access/": "a notice of a refusal",
    P + "access/request/": "a form or its POST: one object, no rows",
    P + "people/approvals/<id:membership_id>/": "an action (POST), not a list",
    P + "people/access-requests/<id:request_id>/": "an action (POST), not a list",
    P + "people/invitations/<id:invitation_id>/withdraw/": "an action (POST), not a list",
    P + "people/<id:user_id>/": "one object, not a list",
    P + "people/<id:user_id>/change/": "a form or its POST: one object, no rows",
    P + "people/<id:user_id>/queues/": "an action (POST), not a list",
    P + "people/<id:user_id>/capacity/": "an action (POST), not a list",
    P + "people/<id:user_id>/export/": "an action (POST), not a list",
    P + "people/<id:user_id>/erase/": "an action (POST), not a list",
    P + "people/data-requests/<id:request_id>/download/": "a file, not a list",
    A + "users/<id:pk>/export/": "one request (started or under way), not a list",
    A + "users/<id:pk>/erase/": "an action (POST), not a list",
    A + "data-requests/<id:pk>/": "one object, not a list",
    A + "data-requests/<id:pk>/download/": "a file, not a list",
    P + "people/<id:user_id>/away/<id:absence_id>/withdraw/": "an action (POST), not a list",
    P + "roles/new/": "a form or its POST: one object, no rows",
    P + "roles/<id:role_id>/": "a form or its POST: one object, no rows",
    P + "roles/<id:role_id>/delete/": "an action (POST), not a list",
    P + "joining-rules/<id:rule_id>/": "the joining-rules page, one rule in its form",
    P + "joining-rules/<id:rule_id>/delete/": "an action (POST), not a list",
    P + "settings/": "a form or its POST: one object, no rows",
    P + "portal/new/": "a form or its POST: one object, no rows",
    P + "tickets/<id:number>/rate/": "a form or its POST: one object, no rows",
    P + "tickets/<id:number>/rate/<str:token>/": "a form or its POST: one object, no rows",
    P + "tickets/<id:number>/presence/": "who is on a ticket now, from the cache",
    P + "tickets/<id:number>/macros/<id:pk>/": "one macro's text filled for one ticket",
    P + "tickets/new/": "a form or its POST: one object, no rows",
    P + "macros/<id:pk>/": "a form or its POST: one object, no rows",
    P + "macros/<id:pk>/delete/": "a confirmation or its POST: one object, no rows",
    P + "attachments/<id:pk>/": "a file download",
    P + "workspace/bulk/": "an action (POST), not a list",
    P + "workspace/views/": "an action (POST), not a list",
    P + "workspace/views/<id:pk>/delete/": "an action (POST), not a list",
    P + "queues/<id:pk>/": "a form or its POST: one object, no rows",
    P + "settings/notifications/": "a form or its POST: one object, no rows",
    P + "settings/service-levels/calendars/<id:pk>/": "a form or its POST: one calendar",
    P + "settings/service-levels/calendars/<id:pk>/holidays/": "an action (POST), not a list",
    P + "settings/service-levels/calendars/<id:pk>/delete/": "an action (POST), not a list",
    P + "settings/service-levels/policies/<id:pk>/": "a form or its POST: one policy",
    P + "settings/service-levels/policies/<id:pk>/delete/": "an action (POST), not a list",
    P + "notifications/read-all/": "an action (POST), not a list",
    P + "notifications/settings/": "a form or its POST: one object, no rows",
    P + "notifications/<id:notification_id>/": "an action: reads one, then its ticket",
    P + "metrics/definitions/": "fixed text",
    P + "metrics/people/<id:user_id>/": "the figures of one person",
    P + "metrics/me/": "the figures of one person",
    P + "kb/deflect/": "an action (POST), not a list",
    P + "kb/manage/new/": "a form or its POST: one object, no rows",
    P + "kb/manage/categories/": "an action (POST), not a list",
    P + "kb/manage/settings/": "an action (POST), not a list",
    P + "kb/manage/<id:pk>/edit/": "a form or its POST: one object, no rows",
    P + "kb/manage/<id:pk>/restore/<id:number>/": "an action (POST), not a list",
    P + "kb/manage/<id:pk>/reviewed/": "an action (POST), not a list",
    P + "kb/<uslug:article_slug>/": "one object, not a list",
    P + "kb/<uslug:article_slug>/acknowledge/": "an action (POST), not a list",
    P + "onboarding/<id:role_id>/": "an action (POST), not a list",
    P + "news/<id:pk>/read/": "an action (POST), not a list",
    P + "ideas/<id:pk>/vote/": "an action (POST), not a list",
    P + "ideas/<id:pk>/answer/": "an action (POST), not a list",
    P + "kudos/thank/": "a form or its POST: one object, no rows",
    A + "register/": "an action (POST), not a list",
    A + "verify/": "an action (POST), not a list",
    A + "joining-rules/test/": "a dry run for one address",
    A + "joining-rules/<id:pk>/": "one object, not a list",
    A + "approvals/<id:pk>/approve/": "an action (POST), not a list",
    A + "approvals/<id:pk>/reject/": "an action (POST), not a list",
    A + "invitations/accept/": "an action (POST), not a list",
    A + "users/<id:pk>/": "one object, not a list",
    A + "roles/<id:pk>/": "one object, not a list",
    A + "access/explain/": "why one member may or may not do one action",
    A + "tickets/<id:pk>/": "one object, not a list",
    A + "tickets/<id:pk>/attachments/<id:attachment_id>/": "one object, not a list",
    A + "tickets/<id:pk>/attachments/<id:attachment_id>/download/": "a file download",
    A + "tickets/<id:pk>/rating/": "an action (POST), not a list",
    A + "queues/<id:pk>/": "one object, not a list",
    A + "macros/<id:pk>/": "one object, not a list",
    A + "tickets/<id:pk>/macros/<id:macro_id>/": "an action (POST), not a list",
    A + "calendars/<id:pk>/": "one object, not a list",
    A + "sla-policies/<id:pk>/": "one object, not a list",
    A + "sla-policies/test/": "a dry run for one ticket",
    A + "metrics/summary/": "figures from the daily rollups, not rows",
    A + "metrics/timeseries/": "figures from the daily rollups, not rows",
    A + "metrics/breakdown/": "figures from the daily rollups, not rows",
    A + "articles/<id:pk>/": "one object, not a list",
    A + "announcements/<id:pk>/": "one object, not a list",
    A + "announcements/<id:pk>/read/": "an action (POST), not a list",
    A + "ideas/<id:pk>/": "one object, not a list",
    A + "ideas/<id:pk>/answer/": "an action (POST), not a list",
    A + "ideas/<id:pk>/vote/": "an action (POST), not a list",
    A + "notifications/<id:pk>/read/": "an action (POST), not a list",
    A + "notifications/read-all/": "an action (POST), not a list",
}


def test_every_route_is_budgeted_or_not_a_list():
    routes = {p for p in _patterns() if not p.startswith("admin/")}
    budgeted = {b.route for b in BUDGETS}
    assert not budgeted & set(NOT_LISTS), "a route is both budgeted and called not a list"
    assert sorted(routes - budgeted - set(NOT_LISTS)) == [], (
        "a new route: budget it, or say why not"
    )
    assert sorted((budgeted | set(NOT_LISTS)) - routes) == [], "a route that no longer exists"


@pytest.fixture
def cast(acme, ada, sam, alice, olga, bob, carol, monkeypatch):
    monkeypatch.setattr("people.views_people.PAGE_SIZE", FULL)
    monkeypatch.setattr("accounts.views_invitations.PAGE_SIZE", FULL)
    monkeypatch.setattr("notifications.views.PAGE_SIZE", FULL)
    monkeypatch.setattr("mailroom.views_inbound.PAGE_SIZE", FULL)
    monkeypatch.setattr("tickets.workspace.COUNT_SECONDS", 0)  # the counts' statement, unkept
    return {"ada": ada, "sam": sam, "alice": alice, "olga": olga, "bob": bob, "carol": carol}


def parents(acme, cast):
    """The objects the child lists hang under, with nothing under them yet."""
    sam, alice, bob = cast["sam"], cast["alice"], cast["bob"]
    queue = make_queue(acme, "Billing", alice.user)
    ticket = make_ticket(acme, bob.user, queue, subject="Charged twice")
    article = save_article(
        tenant=acme, by=sam.user, owner=sam.user, title="Refund basics", body="About refunds."
    )
    announcement = publish_announcement(tenant=acme, by=sam.user, title="Hello", body="x")
    return {
        "queue": queue,
        "ticket": ticket.number,
        "ticket_pk": ticket.pk,
        "article": article.pk,
        "announcement": announcement.pk,
        "agent": alice.pk,
        "agent_user": alice.user.pk,
        "person": bob.user.pk,
        "org": bob.organization_id,
        "objects": {"ticket": ticket, "article": article, "announcement": announcement},
    }


def fill(acme, cast, found, n=FULL):
    """n rows of every list, each with its related rows."""
    ada, sam, alice, olga, bob = (cast[k] for k in ("ada", "sam", "alice", "olga", "bob"))
    ticket = found["objects"]["ticket"]
    article = found["objects"]["article"]
    announcement = found["objects"]["announcement"]
    customer = role(acme, "customer")
    agent_role = role(acme, "agent")
    articles = []
    today = timezone.localdate()
    for i in range(n):
        org = Organization.objects.create(tenant=acme, name=f"Org {i}", domain=f"org{i}.test")
        member = make_member(acme, f"c{i}@org{i}.test", "customer", organization=org)
        agent = make_member(acme, f"a{i}@acme.test", "agent", name=f"Agent {i}")
        make_member(acme, f"p{i}@pending.test", status=Membership.Status.PENDING)
        request_access(membership=member, action="view_metrics")
        invite(
            tenant=acme,
            email=f"i{i}@org{i}.test",
            role=customer,
            by=ada.user,
            organization=org,
            notify=False,
        )
        Role.objects.create(tenant=acme, key=f"custom-{i}", name=f"Custom {i}")
        add_joining_rule(
            tenant=acme,
            by=None,
            kind=JoiningRule.Kind.DOMAIN,
            pattern=f"org{i}.test",
            role=customer,
            organization=org,
            requires_approval=False,
            position=None,
        )
        queue = make_queue(acme, f"Queue {i}", alice.user, olga.user, agent.user)
        mailbox = Mailbox.objects.create(tenant=acme, address=f"help{i}@acme.test", queue=queue)
        IdentityProvider.objects.create(
            tenant=acme, name=f"ID {i}", issuer=f"https://id{i}.acme.test", client_id=f"c{i}"
        )
        for requester, where in ((member.user, queue), (bob.user, found["queue"])):
            made = make_ticket(acme, requester, where, subject=f"Refund {i}")
            set_tags(ticket=made, names=[f"t{i}", "refund"], by=alice.user)
            assign_ticket(ticket=made, assignee=alice.user, by=alice.user)
            add_comment(ticket=made, author=alice.user, body=f"Reply {i}")
            change_status(ticket=made, to="solved", by=alice.user)
            rate_ticket(ticket=made, score=5, comment=f"Great {i}", by=requester)
            Notification.objects.create(
                tenant=acme, recipient=alice.user, kind="customer_reply", ticket=made
            )
        InboundMessage.objects.create(
            tenant=acme,
            mailbox=mailbox,
            sender=f"c{i}@org{i}.test",
            outcome="failed",
            ticket=ticket,
        )
        add_comment(ticket=ticket, author=alice.user, body=f"Reply {i}")
        note = add_comment(ticket=ticket, author=agent.user, body=f"Note {i}", is_public=False)
        upload = SimpleUploadedFile(f"f{i}.txt", b"invoice", "text/plain")
        attach_file(ticket=ticket, upload=upload, by=agent.user, comment=note)
        SavedFilter.objects.create(tenant=acme, owner=alice.user, name=f"V{i}", query="q=x")
        calendar = create_calendar(
            tenant=acme,
            by=None,
            name=f"Hours {i}",
            hours=[{"weekday": i, "start": "09:00", "end": "17:00"}],
            holidays=[f"2027-01-0{i + 1}", f"2027-02-0{i + 1}"],
        )
        create_sla_policy(
            tenant=acme,
            by=None,
            name=f"Policy {i}",
            calendar=calendar,
            conditions={"queue": [queue.pk], "organization": [org.pk]},
            first_response_minutes=60,
        )
        ReportSubscription.objects.create(tenant=acme, user=[ada, sam, alice, olga, agent][i].user)
        issue_token(user=ada.user, name=f"token {i}")
        written = save_article(
            tenant=acme, by=sam.user, owner=agent.user, title=f"Refund {i}", body="Refunds."
        )
        articles.append(written)
        save_article(
            tenant=acme,
            by=agent.user,
            owner=sam.user,
            title="Refund basics",
            body=f"About refunds, take {i}.",
            article=article,
        )
        Deflection.objects.create(tenant=acme, article=written, member=bob)
        published = publish_announcement(tenant=acme, by=sam.user, title=f"News {i}", body="x")
        mark_announcement_read(announcement=published, membership=alice)
        mark_announcement_read(announcement=announcement, membership=agent)
        idea = suggest_idea(membership=member, title=f"Idea {i}")
        toggle_vote(idea=idea, membership=alice)
        thank_agent(by=sam, agent=alice, message=f"Thanks {i}")
        thank_agent(by=sam, agent=agent, message=f"Thanks {i}")
        add_macro(member=alice, name=f"Mine {i}", body="Hi {{ requester.name }}")
        add_macro(member=ada, name=f"Agents {i}", body="Hi", shared_with="agent")
        # Away today, covered (the directory); Alice's absences to come (her away page).
        set_absence(member=agent, starts=today, ends=today + timedelta(3), substitute=olga, by=None)
        set_absence(
            member=alice,
            starts=today + timedelta(10 * i + 1),
            ends=today + timedelta(10 * i + 2),
            substitute=agent,
            by=None,
        )
    for i in range(n - 1):  # the helpdesks of one person (api/v1/me/)
        other = make_tenant(f"other-{i}")
        add_member(tenant=other, user=ada.user, role=role(other, "agent"), by=None)
    for checklisted in [agent_role, *Role.objects.filter(tenant=acme, key__startswith="custom-")]:
        set_onboarding_checklist(
            tenant=acme, role=checklisted, articles=articles, due_within_days=7, by=ada.user
        )


MEASURE = os.environ.get("QUERY_BUDGETS_MEASURE")  # "1": print the counts (with -s), check none


def _walk(client, api, cast, found, budgets, state, django_assert_num_queries):
    ids = {k: v for k, v in found.items() if k != "objects"}
    for budget in budgets:
        url = budget.url.format(**ids)
        member = cast[budget.who]
        asker = api if budget.route.startswith("api/") else client
        if asker is api:
            api.force_authenticate(member.user)
        else:
            client.force_login(member.user)
        assert asker.get(url).status_code == 200, url  # warm: see the module's docstring
        if MEASURE:
            with CaptureQueriesContext(connection) as queries:
                assert asker.get(url).status_code == 200, url
            print(f"{state}\t{len(queries)}\t{budget.route}")
            continue
        with django_assert_num_queries(getattr(budget, state), info=f"{url} ({state})"):
            assert asker.get(url).status_code == 200, url


def test_lists_empty(client, api, acme, cast, django_assert_num_queries):
    top = [b for b in BUDGETS if not b.child]
    _walk(client, api, cast, {}, top, "empty", django_assert_num_queries)


def test_lists_under_one_object_empty(client, api, acme, cast, django_assert_num_queries):
    found = parents(acme, cast)
    under = [b for b in BUDGETS if b.child]
    _walk(client, api, cast, found, under, "empty", django_assert_num_queries)


def test_lists_full(client, api, acme, cast, django_assert_num_queries):
    found = parents(acme, cast)
    fill(acme, cast, found)
    _walk(client, api, cast, found, BUDGETS, "full", django_assert_num_queries)
