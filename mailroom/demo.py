"""The demo's part of mail in: a support address and a few messages fed through ``receive``,
as a mail server would pipe them, in English and Hebrew (windows-1255, as Outlook sends it),
with a reply on its ticket and an out-of-office that is dropped."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from tickets.mail_threads import reply_address
from tickets.models import Mailbox
from tickets.notifications import muted

from .delivery import receive

ADDRESS = "support@demo.example"


def _mail(sender, subject, body, *, to=ADDRESS, charset="utf-8", headers=None) -> bytes:
    message = EmailMessage()
    message["From"] = formataddr(sender)
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="mail.demo.example")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body, charset=charset)
    return message.as_bytes()


def seed(ctx) -> str:
    queues = ctx.extra["queues"]
    queue = queues.get("Technical") or next(iter(queues.values()))
    mailbox, _created = Mailbox.objects.get_or_create(
        address=ADDRESS, defaults={"tenant": ctx.tenant, "queue": queue}
    )
    bob = ("Bob Buyer", "customer@demo.example")
    # The demo's history tells nobody (no mail leaves while it is seeded).
    with muted():
        first = receive(
            _mail(
                bob,
                "Cannot download my invoice",
                "Hello,\n\nThe invoice page shows an error when I click Download.\n\nBob",
            ),
            mailbox=mailbox,
        )
        others = [
            _mail(
                bob,
                "Re: Cannot download my invoice",
                "It works in another browser, so maybe it is the cache.\n\n"
                "On Monday, Demo Helpdesk <support@demo.example> wrote:\n> We received it.\n",
                to=reply_address(first.ticket, mailbox),
            ),
            _mail(
                ("ארין אוונס", "erin@globex.example"),
                "המדפסת במשרד לא מדפיסה",
                "שלום,\n\nמאז הבוקר המדפסת בקומה השנייה לא מדפיסה. אפשר לבדוק?\n\nתודה,\nארין",
                charset="windows-1255",
            ),
            _mail(
                ("Dan Dorsey", "dan@globex.example"),
                "Automatic reply: out of the office",
                "I am away until Monday.",
                headers={"Auto-Submitted": "auto-replied"},
            ),
        ]
        outcomes = [first.outcome] + [receive(raw, mailbox=mailbox).outcome for raw in others]
    return f"{ADDRESS}: " + ", ".join(outcomes)
