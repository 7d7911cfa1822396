"""Subjects built from what people typed stay one line, so the e-mail still goes."""

from core.mail import SUBJECT_MAX, subject_line
from tickets.services import add_comment


def test_line_breaks_and_long_subjects_become_one_short_line():
    assert subject_line("Charged\r\ntwice\rreally\u2028now") == "Charged twice really now"
    assert len(subject_line("x" * 500)) == SUBJECT_MAX


def test_a_carriage_return_in_the_subject_does_not_stop_the_email(
    alice, acme_ticket, mailoutbox, django_capture_on_commit_callbacks
):
    acme_ticket.subject = "Charged\rtwice"
    acme_ticket.save(update_fields=["subject"])

    with django_capture_on_commit_callbacks(execute=True):
        add_comment(ticket=acme_ticket, author=alice.user, body="We refunded you.")

    (mail,) = mailoutbox  # was BadHeaderError, unretried: nothing sent
    assert "Charged twice" in mail.subject
