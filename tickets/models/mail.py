"""Support addresses and the e-mails of a ticket's conversation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.tenancy import TenantOwned, TenantQuerySet

from .queues import Queue


class MailboxQuerySet(TenantQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def reading_imap(self):
        """Every helpdesk's active mailboxes read by IMAP (the fetch job's list)."""
        return self.active().exclude(imap_host="")


class Mailbox(TenantOwned):
    """A support address: mail to it (or to its plus-addressed forms) becomes tickets in
    ``queue``. It is read by IMAP when ``imap_host`` is set, else a mail server pipes to
    ``manage.py receive_email``. An address belongs to one helpdesk: it routes the mail."""

    address = models.EmailField(_("address"), max_length=254, unique=True)  # stored lowercased
    queue = models.ForeignKey(Queue, on_delete=models.PROTECT, related_name="mailboxes")
    is_active = models.BooleanField(default=True)
    imap_host = models.CharField(max_length=255, blank=True)
    imap_port = models.PositiveIntegerField(null=True, blank=True)
    imap_tls = models.BooleanField(default=True)
    imap_username = models.CharField(max_length=255, blank=True)
    # Encrypted at rest (mailroom.imap); empty when the password comes from the environment
    # variable named here, which the server's operator sets instead of an admin typing it.
    imap_password_encrypted = models.TextField(blank=True)
    imap_password_env = models.CharField(max_length=100, blank=True)
    imap_folder = models.CharField(max_length=255, blank=True, default="INBOX")
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = MailboxQuerySet.as_manager()

    class Meta:
        ordering = ["address"]
        verbose_name_plural = "mailboxes"

    def __str__(self):
        return self.address


class TicketMailQuerySet(TenantQuerySet):
    def addresses_of(self, user):
        """The addresses ``user`` wrote from, each with how many mails and the latest, newest
        first: rows of ``from_address``, ``mails`` and ``last_at``."""
        return (
            self.filter(author=user, direction=TicketMail.Direction.IN)
            .exclude(from_address="")
            .values("from_address")
            .annotate(mails=models.Count("id"), last_at=models.Max("created_at"))
            .order_by("-last_at", "from_address")
        )


class TicketMail(TenantOwned):
    """One e-mail of a ticket's conversation, in or out, by its Message-ID.

    Replies find their ticket through In-Reply-To and References against these rows, and a
    message fetched twice is recognised by its id. Inbound rows keep the address it came
    from (the person's page lists them)."""

    class Direction(models.TextChoices):
        IN = "in", _("Received")
        OUT = "out", _("Sent")

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="mails")
    message_id = models.CharField(max_length=998)  # without the angle brackets
    direction = models.CharField(max_length=3, choices=Direction.choices)
    event = models.ForeignKey(
        "tickets.TicketEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_address = models.EmailField(max_length=254, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = TicketMailQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "message_id"], name="ticket_mail_message_id_unique"
            )
        ]
        indexes = [
            models.Index(fields=["tenant", "author", "from_address"], name="ticket_mail_author"),
        ]

    def __str__(self):
        return self.message_id
