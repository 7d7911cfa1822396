"""``manage.py receive_email [--to ADDRESS]``: one raw message on standard input, as a mail
server's pipe delivers it. Exit codes are sysexits(3), which mail servers understand:
0 delivered (or deliberately dropped), 77 refused (EX_NOPERM: the server returns it to the
sender with our reason), 75 temporary failure (EX_TEMPFAIL: the server tries again later).
"""

import sys

from django.core.management.base import BaseCommand

from mailroom.delivery import TemporaryFailure, receive
from mailroom.models import InboundMessage

EX_OK, EX_TEMPFAIL, EX_NOPERM = 0, 75, 77

Outcome = InboundMessage.Outcome


class Command(BaseCommand):
    help = "Read one raw RFC 5322 message on standard input and deliver it to its helpdesk."

    def add_arguments(self, parser):
        parser.add_argument("--to", help="The support address it was sent to (the envelope's).")

    def handle(self, *args, to=None, **options):
        raw = sys.stdin.buffer.read()
        try:
            receipt = receive(raw, to=to)
        except TemporaryFailure as failure:
            self.stdout.write(f"temporary failure, deliver again later: {failure}".strip())
            sys.exit(EX_TEMPFAIL)
        if receipt.outcome in (Outcome.TICKET, Outcome.COMMENT):
            self.stdout.write(f"ticket {receipt.ticket.number}")
        elif receipt.outcome == Outcome.REFUSED:
            self.stdout.write(f"refused: {receipt.reason}")
            sys.exit(EX_NOPERM)
        elif receipt.outcome == Outcome.FAILED:
            # Kept whole for the helpdesk's admins: the mail is not lost, nothing to bounce.
            self.stdout.write(f"kept for an admin: {receipt.reason}")
        else:
            self.stdout.write(f"{receipt.outcome}: {receipt.reason}")
        sys.exit(EX_OK)
