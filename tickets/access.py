"""The ticket part of accounts.access.decide: may this member act on this ticket, and why."""

from django.utils.translation import gettext as _

from accounts.access import can, ensure
from accounts.models import Membership

from .models import (
    Macro,
    Queue,
    QueueGrant,
    Ticket,
    TicketColleague,
    granted_queue_ids,
    works_every_queue,
)

# Moves only the person who made a request makes on it, whatever else their role allows.
REQUESTER_ACTIONS = frozenset({"solve_own_request", "add_colleague"})


def works_queue(member: Membership, queue: Queue | None) -> bool:
    if queue is None:
        return False
    if works_every_queue(member):
        return queue.tenant_id == member.tenant_id
    return queue.pk in granted_queue_ids(member)


def queue_work(member: Membership, queue: Queue):
    """Whether the member works the queue, and until when (None: no end). Granting asks this:
    no one lets others work a queue longer than they work it themselves."""
    if works_every_queue(member) or not works_queue(member, queue):
        return works_queue(member, queue), None
    grant = QueueGrant.objects.filter(queue=queue, user_id=member.user_id).first()
    return True, grant.expires_at if grant else None


def ticket_rule(member: Membership, action: str, ticket: Ticket):
    """(allowed, reason[, can_request]) for one ticket; mirrors TicketQuerySet.visible_to."""
    if action in REQUESTER_ACTIONS and ticket.requester_id != member.user_id:
        return False, _("Only the person who made this request can do this."), False
    if member.sees_all_tickets:
        return True, _("As %(role)s you see every ticket of this helpdesk.") % {"role": member.role}
    if member.works_queues:
        if member.tenant.agents_work_all_queues:
            return True, _("Agents of this helpdesk work every queue.")
        if works_queue(member, ticket.queue):
            return True, _("You see this ticket because you work the %(queue)s queue.") % {
                "queue": ticket.queue.name
            }
        if ticket.assignee_id == member.user_id:
            return True, _("You see this ticket because it is assigned to you.")
        if ticket.queue is None:
            return (
                False,
                _("This ticket is in no queue, and you work only the queues granted to you."),
                False,
            )
        return (
            False,
            _("You don't work the %(queue)s queue, where this ticket is.")
            % {"queue": ticket.queue.name},
            True,
        )
    if ticket.requester_id == member.user_id:
        return True, _("You see this ticket because you requested it.")
    if (
        member.tenant.customers_see_organization_tickets
        and member.organization_id
        and ticket.organization_id == member.organization_id
    ):
        return True, _(
            "You see this ticket because %(org)s shares its requests with its members."
        ) % {"org": member.organization.name}
    if TicketColleague.objects.of_ticket(ticket).filter(user_id=member.user_id).exists():
        return True, _("You see this request because its requester added you to it.")
    return False, _("This ticket was requested by someone else."), False


def macro_rule(member: Membership, action: str, macro: Macro):
    """A personal macro is its owner's alone; a shared one is used by those it is shared with
    and kept by those who manage the shared macros (the role check comes first, in decide)."""
    if macro.owner_id is not None:
        if macro.owner_id == member.user_id:
            return True, _("This macro is your own.")
        return False, _("This macro is someone else's personal one."), False
    if action == "manage_macros":
        return True, _("You keep the macros shared in this helpdesk.")
    if macro.role_id is None:
        return True, _("This macro is shared with everyone who works here.")
    if macro.role_id == member.role_id:
        return True, _("This macro is shared with your role.")
    return False, _("This macro is shared with another role."), False


def ensure_may_write(member: Membership, ticket: Ticket, *, is_public: bool = True) -> None:
    """May this member add to the conversation (a reply, a note, files, or a reopening)?

    A note needs the right to write notes (no customer holds it); a public reply, the right to
    reply for those who work tickets, else the requester's side's right to submit requests.
    The portal, the workspace and the API all ask this.
    """
    if not is_public:
        ensure(member, "add_internal_note", ticket)
    elif can(member, "work_tickets"):
        ensure(member, "reply_public", ticket)
    else:
        ensure(member, "submit_ticket", ticket)
