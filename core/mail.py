"""What every e-mail the helpdesk sends has in common."""

# Subjects longer than this are cut: mail clients show less, and RFC 5322 wants short lines.
SUBJECT_MAX = 200


def subject_line(text: str) -> str:
    """``text`` as one line for a Subject header.

    Subjects are built from what people typed (a ticket's subject, a helpdesk's name, an
    article's title); a line break there makes Django refuse the whole message
    (BadHeaderError), so every kind of line break and run of spaces becomes one space.
    """
    line = " ".join(str(text).split())
    return line if len(line) <= SUBJECT_MAX else line[: SUBJECT_MAX - 1] + "…"
