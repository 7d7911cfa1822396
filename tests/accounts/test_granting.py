"""No one grants more than they hold.

Every built-in role and a few custom ones (among them the role from the report, which could
make anyone admin) against every way of giving power: a person's role (API and page, of
others and of oneself), a role made or edited (API and page), an invitation (API, page, CSV),
a joining rule made or edited (API and page), a queue grant and its expiry (page and API).
Each is allowed exactly when what is given is a subset of what the giver holds (actions, ticket
scope, queues) and the admin role only by admins; a refusal writes nothing and is never a 500.
"""

import itertools
from datetime import timedelta
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.access import decide
from accounts.actions import ACTIONS
from accounts.granting import may_grant
from accounts.models import AuditEntry, Invitation, JoiningRule, Membership, Organization, Role
from accounts.services import (
    NotPermitted,
    approve_registration,
    change_membership,
    change_role_template,
    create_role,
    delete_joining_rule,
    delete_role,
    invite,
)
from tests.factories import make_member, make_queue, role
from tickets.models import Queue, QueueGrant
from tickets.services import grant_queue, revoke_queue, update_queue

from .conftest import api_url, page_url
from .test_joining import domain_rule

RANK = {"own": 0, "queues": 1, "all": 2}

# Custom roles: key -> (actions, ticket scope).
CUSTOM = {
    # The report's role: it could PATCH anyone, itself included, to admin.
    "people-keeper": (["view_people", "manage_people", "change_role"], "own"),
    "queue-keeper": (["manage_queues"], "own"),
    "door-keeper": (["manage_joining_rules"], "own"),
    # Every door, but only the tickets of the queues it works (Billing).
    "lead": (
        [
            "view_ticket",
            "reply_public",
            "view_people",
            "manage_people",
            "change_role",
            "manage_queues",
            "manage_joining_rules",
        ],
        "queues",
    ),
    "nothing": ([], "own"),
}
GIVERS = ["admin", "supervisor", "agent", "customer", "people-keeper", "queue-keeper"]
GIVERS += ["door-keeper", "lead"]

_seq = itertools.count(1)


def holds(giver: Role, permissions, scope) -> bool:
    return set(permissions) <= set(giver.permissions) and RANK[scope] <= RANK[giver.scope]


def may_give_role(giver: Role, given: Role) -> bool:
    return holds(giver, given.permissions, given.scope) and (
        given.key != "admin" or giver.key == "admin"
    )


def opens(member: Membership, *actions: str) -> bool:
    return all(member.role.allows(a) for a in actions)


class Cast:
    def __init__(self, tenant):
        self.tenant = tenant
        for key, (permissions, scope) in CUSTOM.items():
            Role.objects.create(
                tenant=tenant, key=key, name=key.title(), permissions=permissions, scope=scope
            )
        self.givers = {key: make_member(tenant, f"{key}@acme.test", key) for key in GIVERS}
        make_member(tenant, "second-admin@acme.test", "admin")  # no one is the last admin
        self.target = make_member(tenant, "target@acme.test", "nothing")
        self.worker = make_member(tenant, "worker@acme.test", "agent")
        self.billing = make_queue(tenant, "Billing", self.givers["lead"].user)
        self.secret = make_queue(tenant, "Secret")
        self.nothing = role(tenant, "nothing")

    def roles(self, *, but=("nothing",)):
        return list(Role.objects.for_tenant(self.tenant).exclude(key__in=but))

    def works(self, member: Membership, queue: Queue) -> bool:
        if member.role.scope == "all":
            return True
        if member.role.scope == "own":
            return False
        return QueueGrant.objects.filter(queue=queue, user=member.user).exists()


@pytest.fixture
def cast(acme):
    return Cast(acme)


def audit_count(tenant) -> int:
    return AuditEntry.objects.for_tenant(tenant).count()


def check(response, written: bool, expected: bool, tenant, audits_before: int, what):
    assert response.status_code < 500, what
    assert written is expected, what
    if not expected:
        assert audit_count(tenant) == audits_before, what


# --- A person's role ------------------------------------------------------------------------


@pytest.mark.parametrize("giver_key", GIVERS)
def test_api_role_change_of_another(api, cast, giver_key):
    giver = cast.givers[giver_key]
    api.force_authenticate(giver.user)
    for given in cast.roles():
        before = audit_count(cast.tenant)
        response = api.patch(
            api_url(f"users/{cast.target.user_id}/"), {"role": given.key}, format="json"
        )
        expected = opens(giver, "manage_people", "change_role") and may_give_role(giver.role, given)
        written = Membership.objects.get(pk=cast.target.pk).role_id == given.pk
        check(response, written, expected, cast.tenant, before, (giver_key, given.key))
        assert response.status_code == (200 if expected else 403)
        if not expected:
            assert set(response.json()) == {"detail", "reasons"}
        Membership.objects.filter(pk=cast.target.pk).update(role=cast.nothing)


@pytest.mark.parametrize("giver_key", GIVERS)
def test_api_role_change_of_oneself(api, cast, giver_key):
    giver = cast.givers[giver_key]
    api.force_authenticate(giver.user)
    for given in cast.roles(but=[giver_key]):
        before = audit_count(cast.tenant)
        response = api.patch(api_url(f"users/{giver.user_id}/"), {"role": given.key}, format="json")
        expected = opens(giver, "manage_people", "change_role") and may_give_role(giver.role, given)
        written = Membership.objects.get(pk=giver.pk).role_id == given.pk
        check(response, written, expected, cast.tenant, before, (giver_key, given.key))
        Membership.objects.filter(pk=giver.pk).update(role=giver.role)


@pytest.mark.parametrize("giver_key", GIVERS)
def test_page_role_change(client, cast, giver_key):
    giver = cast.givers[giver_key]
    client.force_login(giver.user)
    for given in cast.roles():
        before = audit_count(cast.tenant)
        response = client.post(
            page_url(f"people/{cast.target.user_id}/change/"),
            {"role": given.pk, "organization": "", "status": "active", "confirm": "yes"},
        )
        expected = opens(giver, "manage_people", "change_role") and may_give_role(giver.role, given)
        written = Membership.objects.get(pk=cast.target.pk).role_id == given.pk
        check(response, written, expected, cast.tenant, before, (giver_key, given.key))
        Membership.objects.filter(pk=cast.target.pk).update(role=cast.nothing)


def test_the_reported_escalation_is_refused(api, cast):
    """A role of view_people, manage_people and change_role made its holder admin (200)."""
    keeper = cast.givers["people-keeper"]
    api.force_authenticate(keeper.user)
    before = audit_count(cast.tenant)

    mine = api.patch(api_url(f"users/{keeper.user_id}/"), {"role": "admin"}, format="json")
    theirs = api.patch(api_url(f"users/{cast.target.user_id}/"), {"role": "admin"}, format="json")

    for response in (mine, theirs):
        assert response.status_code == 403
        body = response.json()
        assert "Only admins can give the admin role." in body["reasons"]
        assert any("does not allow you to" in reason for reason in body["reasons"])
        assert body["detail"] == " ".join(body["reasons"])
    assert "You cannot raise your own role." in mine.json()["reasons"]
    assert Membership.objects.get(pk=keeper.pk).role.key == "people-keeper"
    assert Membership.objects.get(pk=cast.target.pk).role.key == "nothing"
    assert audit_count(cast.tenant) == before


def test_the_refusal_is_shown_on_the_page_and_before_the_confirmation(client, cast):
    client.force_login(cast.givers["people-keeper"].user)
    response = client.post(
        page_url(f"people/{cast.target.user_id}/change/"),
        {"role": role(cast.tenant, "admin").pk, "organization": "", "status": "active"},
        follow=True,
    )
    assert "Only admins can give the admin role." in response.content.decode()
    assert Membership.objects.get(pk=cast.target.pk).role.key == "nothing"


def test_reactivating_or_approving_gives_the_role_back_and_is_checked(cast, acme):
    keeper = cast.givers["people-keeper"]
    former = make_member(acme, "former@acme.test", "admin", status=Membership.Status.DEACTIVATED)
    waiting = make_member(acme, "waiting@acme.test", "supervisor", status=Membership.Status.PENDING)
    with pytest.raises(NotPermitted):
        change_membership(membership=former, by=keeper.user, status=Membership.Status.ACTIVE)
    with pytest.raises(NotPermitted):
        approve_registration(membership=waiting, by=keeper.user)
    assert Membership.objects.get(pk=former.pk).status == Membership.Status.DEACTIVATED
    assert Membership.objects.get(pk=waiting.pk).status == Membership.Status.PENDING
    # Deactivating takes power away: that is not giving.
    change_membership(membership=cast.target, by=keeper.user, status=Membership.Status.DEACTIVATED)
    admin = cast.givers["admin"]
    change_membership(membership=former, by=admin.user, status=Membership.Status.ACTIVE)
    approve_registration(membership=waiting, by=admin.user)


def test_approving_and_reactivating_through_the_api_are_refused_with_reasons(api, cast, acme):
    api.force_authenticate(cast.givers["people-keeper"].user)
    former = make_member(acme, "former@acme.test", "admin", status=Membership.Status.DEACTIVATED)
    waiting = make_member(acme, "waiting@acme.test", "supervisor", status=Membership.Status.PENDING)
    before = audit_count(acme)

    approved = api.post(api_url(f"approvals/{waiting.pk}/approve/"))
    reactivated = api.patch(api_url(f"users/{former.user_id}/"), {"is_active": True}, format="json")

    assert approved.status_code == reactivated.status_code == 403
    assert "Only admins can give the admin role." in reactivated.json()["reasons"]
    assert any("does not allow you to" in r for r in approved.json()["reasons"])
    assert Membership.objects.get(pk=waiting.pk).status == Membership.Status.PENDING
    assert Membership.objects.get(pk=former.pk).status == Membership.Status.DEACTIVATED
    assert audit_count(acme) == before


# --- Roles made and edited ------------------------------------------------------------------


@pytest.mark.parametrize("giver_key", GIVERS)
def test_api_role_create(api, cast, giver_key):
    giver = cast.givers[giver_key]
    api.force_authenticate(giver.user)
    for like in cast.roles(but=[]):
        name = f"Made {next(_seq)}"
        before = audit_count(cast.tenant)
        response = api.post(
            api_url("roles/"),
            {"name": name, "permissions": like.permissions, "scope": like.scope},
            format="json",
        )
        expected = opens(giver, "change_role") and holds(giver.role, like.permissions, like.scope)
        written = Role.objects.for_tenant(cast.tenant).filter(name=name).exists()
        check(response, written, expected, cast.tenant, before, (giver_key, like.key))
        assert response.status_code == (201 if expected else 403)


@pytest.mark.parametrize("giver_key", GIVERS)
def test_page_role_create_and_edit(client, cast, giver_key):
    giver = cast.givers[giver_key]
    client.force_login(giver.user)
    for like in cast.roles():
        expected = opens(giver, "change_role") and holds(giver.role, like.permissions, like.scope)
        fields = {
            "description": "",
            "scope": like.scope,
            "permissions": like.permissions,
            "confirm": "yes",
            "reviewed": ",".join(sorted(like.permissions)) + "|" + like.scope,
        }
        # Made.
        name = f"Made {next(_seq)}"
        before = audit_count(cast.tenant)
        response = client.post(page_url("roles/new/"), {**fields, "name": name})
        written = Role.objects.for_tenant(cast.tenant).filter(name=name).exists()
        check(response, written, expected, cast.tenant, before, ("create", giver_key, like.key))
        # Edited: a role with nothing is given these actions and this scope.
        blank = Role.objects.create(
            tenant=cast.tenant, key=f"blank-{next(_seq)}", name="Blank", permissions=[]
        )
        before = audit_count(cast.tenant)
        response = client.post(page_url(f"roles/{blank.pk}/"), {**fields, "name": "Blank"})
        blank.refresh_from_db()
        written = (blank.permissions, blank.scope) == (
            [a for a in ACTIONS if a in like.permissions],
            like.scope,
        )
        check(response, written, expected, cast.tenant, before, ("edit", giver_key, like.key))


@pytest.mark.parametrize("giver_key", ["people-keeper", "lead", "supervisor"])
def test_no_one_adds_actions_to_the_role_they_hold(cast, giver_key):
    giver = cast.givers[giver_key]
    mine = giver.role
    extra = next(a for a in ACTIONS if a not in mine.permissions)
    with pytest.raises(NotPermitted) as refusal:
        change_role_template(role=mine, by=giver.user, permissions=[*mine.permissions, extra])
    assert "You hold this role: you cannot add actions to it yourself." in refusal.value.reasons
    mine.refresh_from_db()
    assert extra not in mine.permissions
    if mine.scope != "all":
        with pytest.raises(NotPermitted):
            change_role_template(role=mine, by=giver.user, scope="all")
    # Taking from it, or renaming it, gives nothing: allowed to whoever may change roles.
    if giver.role.allows("change_role"):
        change_role_template(role=mine, by=giver.user, name="Renamed")


def test_a_role_is_changed_only_by_someone_who_holds_all_it_holds(cast):
    """An edit changes everyone who holds the role: narrowing the supervisors' role takes
    power from them, widening the customers' gives it to every customer. A lead may rename
    a role (that changes no power) but not narrow one that holds more than the lead does."""
    lead = cast.givers["lead"]
    supervisor = role(cast.tenant, "supervisor")
    change_role_template(role=supervisor, by=lead.user, name="Team lead")
    narrowed = [a for a in supervisor.permissions if a != "manage_articles"]
    for change in ({"permissions": narrowed}, {"scope": "queues"}):
        for giver in (lead, cast.givers["people-keeper"]):
            with pytest.raises(NotPermitted) as refusal:
                change_role_template(role=supervisor, by=giver.user, **change)
            assert "Only admins can change the built-in roles." in refusal.value.reasons
    supervisor.refresh_from_db()
    assert "manage_articles" in supervisor.permissions and supervisor.scope == "all"
    # A built-in role the giver holds all of is still the admins' to change.
    customer = role(cast.tenant, "customer")
    with pytest.raises(NotPermitted):
        change_role_template(
            role=customer, by=lead.user, permissions=[*customer.permissions, "view_people"]
        )
    # A custom role holding more than the giver: neither narrowed nor widened by them.
    wide = Role.objects.create(
        tenant=cast.tenant, key="wide", name="Wide", permissions=list(ACTIONS), scope="all"
    )
    with pytest.raises(NotPermitted) as refusal:
        change_role_template(role=wide, by=lead.user, permissions=["view_ticket"])
    assert any("holds more than your role" in r for r in refusal.value.reasons)
    # One it holds all of, the lead may narrow, and widen within what the lead holds.
    small = Role.objects.create(
        tenant=cast.tenant, key="small", name="Small", permissions=["view_ticket"], scope="own"
    )
    change_role_template(role=small, by=lead.user, permissions=["view_ticket", "view_people"])
    change_role_template(role=small, by=lead.user, permissions=[], scope="queues")
    admin = cast.givers["admin"]
    change_role_template(role=supervisor, by=admin.user, permissions=narrowed)


def test_the_reported_page_edit_of_a_built_in_role_is_refused(client, cast):
    """The outside report: a people-keeper posted the supervisors' role down to view_people."""
    keeper = cast.givers["people-keeper"]
    supervisor = role(cast.tenant, "supervisor")
    client.force_login(keeper.user)
    before = audit_count(cast.tenant)
    fields = {"name": "R2", "description": "", "scope": "own", "permissions": ["view_people"]}
    client.post(page_url(f"roles/{supervisor.pk}/"), fields)
    response = client.post(
        page_url(f"roles/{supervisor.pk}/"),
        {**fields, "confirm": "yes", "reviewed": "view_people|own"},
    )
    assert response.status_code < 500
    supervisor.refresh_from_db()
    assert supervisor.scope == "all" and "view_ticket" in supervisor.permissions
    assert audit_count(cast.tenant) == before


def test_no_one_moves_people_into_an_organization_whose_requests_they_cannot_see(api, cast):
    """The outside report: a customer who manages people moved himself (and others) into
    another organization and read its requests."""
    other = Organization.objects.create(tenant=cast.tenant, name="Globex Co")
    mine = Organization.objects.create(tenant=cast.tenant, name="Mine Co")
    keeper = cast.givers["people-keeper"]
    Membership.objects.filter(pk=keeper.pk).update(organization=mine)
    api.force_authenticate(keeper.user)
    before = audit_count(cast.tenant)
    for who in (keeper, cast.target):
        response = api.patch(
            api_url(f"users/{who.user_id}/"), {"organization": other.pk}, format="json"
        )
        assert response.status_code == 403, response.content
        assert any("Globex Co" in r for r in response.json()["reasons"])
        assert Membership.objects.get(pk=who.pk).organization_id != other.pk
    with pytest.raises(NotPermitted):
        invite(
            tenant=cast.tenant,
            email="c7@acme.test",
            role=cast.nothing,
            by=keeper.user,
            organization=other,
        )
    assert audit_count(cast.tenant) == before
    # Into the keeper's own organization, or out of one, gives nothing they do not see.
    ok = api.patch(
        api_url(f"users/{cast.target.user_id}/"), {"organization": mine.pk}, format="json"
    )
    assert ok.status_code == 200, ok.content
    # Someone who sees every ticket moves anyone anywhere.
    api.force_authenticate(cast.givers["admin"].user)
    moved = api.patch(
        api_url(f"users/{cast.target.user_id}/"), {"organization": other.pk}, format="json"
    )
    assert moved.status_code == 200, moved.content


def test_no_one_takes_people_out_of_an_organization_they_are_not_in(api, cast):
    other = Organization.objects.create(tenant=cast.tenant, name="Globex Co")
    keeper = cast.givers["people-keeper"]  # in no organization, sees only their own requests
    Membership.objects.filter(pk=cast.target.pk).update(organization=other)
    api.force_authenticate(keeper.user)
    response = api.patch(
        api_url(f"users/{cast.target.user_id}/"), {"organization": None}, format="json"
    )
    assert response.status_code == 403, response.content
    assert Membership.objects.get(pk=cast.target.pk).organization_id == other.pk


def test_no_one_deletes_a_role_or_a_joining_rule_they_could_not_make(cast):
    keeper = cast.givers["people-keeper"]
    wide = Role.objects.create(
        tenant=cast.tenant, key="wide", name="Wide", permissions=["view_metrics"], scope="own"
    )
    with pytest.raises(NotPermitted):
        delete_role(role=wide, by=keeper.user)
    assert Role.objects.filter(pk=wide.pk).exists()
    door = cast.givers["door-keeper"]
    rule = domain_rule(cast.tenant, "partner.test", "agent", by=None)
    with pytest.raises(NotPermitted):
        delete_joining_rule(rule=rule, by=door.user)
    assert JoiningRule.objects.filter(pk=rule.pk).exists()
    delete_role(role=wide, by=cast.givers["admin"].user)
    delete_joining_rule(rule=rule, by=cast.givers["admin"].user)


def test_a_refused_removal_from_a_queue_on_the_page_is_a_message_not_a_500(client, cast):
    lead = cast.givers["lead"]
    grant_queue(queue=cast.secret, user=cast.worker.user, by=None)
    client.force_login(lead.user)
    url = page_url(f"people/{cast.worker.user_id}/queues/")
    response = client.post(url, {"queue": cast.secret.pk, "revoke": "1"}, follow=True)
    assert response.status_code == 200
    assert "so you can&#39;t change who works it" in response.content.decode()
    assert QueueGrant.objects.filter(queue=cast.secret, user=cast.worker.user).exists()
    assert client.post(url, {"queue": "\u00b2", "revoke": "1"}).status_code == 404


def test_no_one_takes_others_off_a_queue_or_changes_a_queue_they_do_not_work(cast):
    lead = cast.givers["lead"]  # works Billing only
    grant_queue(queue=cast.secret, user=cast.worker.user, by=None)
    with pytest.raises(NotPermitted):
        revoke_queue(queue=cast.secret, user=cast.worker.user, by=lead.user)
    with pytest.raises(NotPermitted):
        update_queue(queue=cast.secret, by=lead.user, name="Renamed")
    with pytest.raises(NotPermitted):
        update_queue(queue=cast.secret, by=lead.user, agents=[])
    assert QueueGrant.objects.filter(queue=cast.secret, user=cast.worker.user).exists()
    assert Queue.objects.get(pk=cast.secret.pk).name == "Secret"
    # On the queue the lead works, both are the lead's to do.
    grant_queue(queue=cast.billing, user=cast.worker.user, by=lead.user)
    assert revoke_queue(queue=cast.billing, user=cast.worker.user, by=lead.user)
    update_queue(queue=cast.billing, by=lead.user, name="Billing desk")


# --- Invitations ----------------------------------------------------------------------------


@pytest.mark.parametrize("giver_key", GIVERS)
def test_invitations_api_page_and_csv(api, client, cast, giver_key):
    giver = cast.givers[giver_key]
    api.force_authenticate(giver.user)
    client.force_login(giver.user)
    for given in cast.roles():
        expected = opens(giver, "manage_people") and may_give_role(giver.role, given)
        for door in ("api", "page", "csv"):
            email = f"newcomer-{next(_seq)}@acme.test"
            before = audit_count(cast.tenant)
            if door == "api":
                response = api.post(
                    api_url("invitations/"), {"email": email, "role": given.key}, format="json"
                )
                assert response.status_code == (201 if expected else 403)
            elif door == "page":
                response = client.post(
                    page_url("people/invitations/"),
                    {"email": email, "role": given.key, "organization": ""},
                )
            else:
                upload = SimpleUploadedFile(
                    "people.csv", f"email,role\n{email},{given.key}\n".encode(), "text/csv"
                )
                response = client.post(page_url("people/invitations/"), {"file": upload})
            written = Invitation.objects.for_tenant(cast.tenant).filter(email=email).exists()
            check(response, written, expected, cast.tenant, before, (door, giver_key, given.key))


def test_a_csv_with_one_row_beyond_the_giver_invites_nobody(client, cast):
    client.force_login(cast.givers["lead"].user)
    text = "email,role\nfine@acme.test,nothing\nboss@acme.test,admin\n"
    response = client.post(
        page_url("people/invitations/"),
        {"file": SimpleUploadedFile("people.csv", text.encode(), "text/csv")},
    )
    assert response.status_code == 200
    assert "Only admins can give the admin role." in response.content.decode()
    assert not Invitation.objects.for_tenant(cast.tenant).exists()


# --- Joining rules --------------------------------------------------------------------------


@pytest.mark.parametrize("giver_key", GIVERS)
def test_joining_rules_api_and_page(api, client, cast, giver_key):
    giver = cast.givers[giver_key]
    api.force_authenticate(giver.user)
    client.force_login(giver.user)
    existing = JoiningRule.objects.create(
        tenant=cast.tenant, kind="domain", pattern="old.example", role=cast.nothing, position=1
    )
    for given in cast.roles():
        expected = opens(giver, "manage_joining_rules") and may_give_role(giver.role, given)
        for door in ("api-create", "page-create", "api-edit", "page-edit"):
            pattern = f"d{next(_seq)}.example"
            before = audit_count(cast.tenant)
            if door == "api-create":
                response = api.post(
                    api_url("joining-rules/"),
                    {"kind": "domain", "pattern": pattern, "role": given.key},
                    format="json",
                )
                assert response.status_code == (201 if expected else 403)
            elif door == "page-create":
                response = client.post(
                    page_url("joining-rules/"),
                    {"kind": "domain", "pattern": pattern, "role": given.pk, "position": 5},
                )
            elif door == "api-edit":
                response = api.patch(
                    api_url(f"joining-rules/{existing.pk}/"),
                    {"role": given.key, "pattern": pattern},
                    format="json",
                )
                assert response.status_code == (200 if expected else 403)
            else:
                response = client.post(
                    page_url(f"joining-rules/{existing.pk}/"),
                    {"kind": "domain", "pattern": pattern, "role": given.pk, "position": 1},
                )
            written = (
                JoiningRule.objects.for_tenant(cast.tenant)
                .filter(pattern=pattern, role=given)
                .exists()
            )
            check(response, written, expected, cast.tenant, before, (door, giver_key, given.key))
            JoiningRule.objects.filter(pk=existing.pk).update(role=cast.nothing)


# --- Queue grants and their expiry ----------------------------------------------------------


@pytest.mark.parametrize("giver_key", GIVERS)
def test_queue_grants_page_and_api(api, client, cast, giver_key):
    giver = cast.givers[giver_key]
    api.force_authenticate(giver.user)
    client.force_login(giver.user)
    worker = cast.worker
    for queue in (cast.billing, cast.secret):
        expected = opens(giver, "manage_queues") and cast.works(giver, queue)
        for door in ("page", "page-until", "api"):
            before = audit_count(cast.tenant)
            if door == "api":
                agents = [*queue.grants.values_list("user_id", flat=True), worker.user_id]
                response = api.patch(
                    api_url(f"queues/{queue.pk}/"), {"agents": agents}, format="json"
                )
                assert response.status_code == (200 if expected else 403)
            else:
                until = timezone.localdate() + timedelta(days=5)
                response = client.post(
                    page_url(f"people/{worker.user_id}/queues/"),
                    {"queue": queue.pk, "expires_on": until.isoformat() if "until" in door else ""},
                )
            written = QueueGrant.objects.filter(queue=queue, user=worker.user).exists()
            check(response, written, expected, cast.tenant, before, (door, giver_key, queue.name))
            QueueGrant.objects.filter(queue=queue, user=worker.user).delete()


def test_no_one_lets_others_work_a_queue_longer_than_they_do(client, cast, acme):
    lead = make_member(acme, "short-lead@acme.test", "lead")
    grant_queue(
        queue=cast.billing,
        user=lead.user,
        by=None,
        expires_at=timezone.now() + timedelta(days=10),
    )
    client.force_login(lead.user)
    url = page_url(f"people/{cast.worker.user_id}/queues/")

    for days, expected in ((5, True), (20, False), (None, False)):
        until = "" if days is None else (timezone.localdate() + timedelta(days=days)).isoformat()
        response = client.post(url, {"queue": cast.billing.pk, "expires_on": until}, follow=True)
        grant = QueueGrant.objects.filter(queue=cast.billing, user=cast.worker.user).first()
        assert (grant is not None) is expected, days
        if not expected:
            assert "so you can't let others work it longer" in unescape(response.content.decode())
        QueueGrant.objects.filter(queue=cast.billing, user=cast.worker.user).delete()


def test_the_queue_api_refusal_is_a_403_with_reasons(api, cast):
    api.force_authenticate(cast.givers["lead"].user)
    response = api.patch(
        api_url(f"queues/{cast.secret.pk}/"), {"agents": [cast.worker.user_id]}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["reasons"] == [
        "You don't work the Secret queue, so you can't change who works it."
    ]


# --- One function decides, and the explainer says why ----------------------------------------


def test_services_refuse_every_giver_beyond_their_role(cast):
    """The doors above and the services agree: the services ask the same function."""
    for giver_key, giver in cast.givers.items():
        for given in cast.roles():
            what = (giver_key, given.key)
            allowed = may_give_role(giver.role, given)
            assert may_grant(giver, role=given).allowed is allowed, what
            if not allowed:
                with pytest.raises(NotPermitted):
                    invite(tenant=cast.tenant, email="x@acme.test", role=given, by=giver.user)
                with pytest.raises(NotPermitted):
                    change_membership(membership=cast.target, by=giver.user, role=given)
            if not holds(giver.role, given.permissions, given.scope):
                with pytest.raises(NotPermitted):
                    create_role(
                        tenant=cast.tenant,
                        by=giver.user,
                        name="Copy",
                        permissions=given.permissions,
                        scope=given.scope,
                    )
    assert not Invitation.objects.for_tenant(cast.tenant).exists()
    assert not Role.objects.for_tenant(cast.tenant).filter(name="Copy").exists()


def test_explainer_says_why_giving_a_role_is_refused(api, client, cast):
    keeper = cast.givers["people-keeper"]
    api.force_authenticate(keeper.user)
    params = {"user": keeper.user_id, "action": "change_role"}

    refused = api.get(api_url("access/explain/"), {**params, "role": "admin"}).json()
    allowed = api.get(api_url("access/explain/"), {**params, "role": "nothing"}).json()

    assert refused["allowed"] is False
    assert "Only admins can give the admin role." in refused["reasons"]
    assert any("does not allow you to submit requests" in r for r in refused["reasons"])
    assert allowed["allowed"] is True
    assert refused["reasons"] == may_grant(keeper, role=role(cast.tenant, "admin")).reasons
    # Without change_role at all, the answer is decide()'s.
    api.force_authenticate(cast.givers["door-keeper"].user)
    other = api.get(
        api_url("access/explain/"),
        {"user": cast.givers["door-keeper"].user_id, "action": "change_role", "role": "nothing"},
    ).json()
    assert other["reasons"] == decide(cast.givers["door-keeper"], "change_role").reasons
    # And the page.
    client.force_login(keeper.user)
    page = client.get(page_url("access/"), {"action": "change_role", "role": "admin"})
    assert "Only admins can give the admin role." in page.content.decode()
    # The person page's explainer, as an admin reads it about the keeper.
    client.force_login(cast.givers["admin"].user)
    person = client.get(
        page_url(f"people/{keeper.user_id}/"), {"action": "change_role", "role": "admin"}
    )
    assert "Only admins can give the admin role." in person.content.decode()


def test_explainer_on_queues_and_bad_input(api, cast):
    lead = cast.givers["lead"]
    api.force_authenticate(lead.user)
    params = {"user": lead.user_id, "action": "manage_queues"}
    assert api.get(api_url("access/explain/"), {**params, "queue": cast.billing.pk}).json()[
        "allowed"
    ]
    secret = api.get(api_url("access/explain/"), {**params, "queue": cast.secret.pk}).json()
    assert secret["allowed"] is False
    assert api.get(api_url("access/explain/"), {**params, "queue": "x"}).status_code == 400
    assert api.get(api_url("access/explain/"), {**params, "queue": 999999}).status_code == 404
    assert api.get(api_url("access/explain/"), {**params, "role": "nope"}).status_code == 404


def test_letting_every_agent_work_every_queue_needs_a_role_that_sees_every_ticket(
    client, cast, acme
):
    """A setting gives power too: with it, agents (a queue-scoped giver among them) work every
    queue."""
    Role.objects.create(
        tenant=acme,
        key="settings-keeper",
        name="Settings keeper",
        permissions=["manage_settings", "view_ticket"],
        scope="queues",
    )
    keeper = make_member(acme, "settings-keeper@acme.test", "settings-keeper")
    client.force_login(keeper.user)
    fields = {"name": "Acme", "time_zone": "UTC", "agents_work_all_queues": "on"}
    before = audit_count(acme)

    response = client.post(page_url("settings/"), fields)

    assert response.status_code == 200
    assert "so you can't let agents work every queue" in unescape(response.content.decode())
    acme.refresh_from_db()
    assert acme.agents_work_all_queues is False
    assert audit_count(acme) == before
    # Other settings stay the keeper's to change; an admin may turn this one on.
    client.post(page_url("settings/"), {"name": "Acme Support", "time_zone": "UTC"})
    acme.refresh_from_db()
    assert acme.name == "Acme Support"
    client.force_login(cast.givers["admin"].user)
    client.post(page_url("settings/"), fields)
    acme.refresh_from_db()
    assert acme.agents_work_all_queues is True


def test_a_people_manager_cannot_demote_or_deactivate_someone_who_holds_more(api, cast):
    """Taking power away counts too: the people-keeper may not demote or deactivate an admin."""
    keeper = cast.givers["people-keeper"]
    admin = cast.givers["admin"]
    api.force_authenticate(keeper.user)
    before = audit_count(cast.tenant)

    demoted = api.patch(api_url(f"users/{admin.user_id}/"), {"role": "nothing"}, format="json")
    deactivated = api.patch(api_url(f"users/{admin.user_id}/"), {"is_active": False}, format="json")

    for response in (demoted, deactivated):
        assert response.status_code == 403
        assert any("holds more than your role" in r for r in response.json()["reasons"])
    assert Membership.objects.get(pk=admin.pk).role.key == "admin"
    assert Membership.objects.get(pk=admin.pk).status == Membership.Status.ACTIVE
    assert audit_count(cast.tenant) == before
    # An admin still changes anyone's standing; the keeper still manages those below them.
    api.force_authenticate(admin.user)
    assert (
        api.patch(
            api_url(f"users/{keeper.user_id}/"), {"is_active": False}, format="json"
        ).status_code
        == 200
    )
