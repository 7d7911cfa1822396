"""The Hebrew catalogue is complete, valid and compiled."""

import os
import re
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext

HEBREW_PO = Path(settings.BASE_DIR) / "locale" / "he" / "LC_MESSAGES" / "django.po"

# A few messages from every app and from the templates.
SAMPLE = [
    "You are not a member of this helpdesk.",  # accounts
    "Supervisor",
    "Joining rules",
    "Audit log",
    "Invitations",
    "Approvals",
    "Knowledge base",  # knowledge
    "Onboarding",
    "Kudos",
    "Ideas",
    "Announcement",
    "Metrics",  # metrics
    "Dashboard",
    "CSAT",
    "Workspace",  # tickets
    "Queue",
    "Internal note",
    "New request",
    "Sign out",  # base template
    "Forgot your password?",  # registration templates
]


def test_catalogue_is_valid_and_every_message_translated():
    # msgfmt checks the placeholders and plural forms; its statistics count the rest.
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt (gettext) is needed to check and compile the catalogues"
    result = subprocess.run(  # noqa: S603 (fixed arguments: our own catalogue)
        [msgfmt, "--check", "--statistics", "-o", "/dev/null", str(HEBREW_PO)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "LC_ALL": "C"},  # untranslated output, to read
    )
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"\d+ translated messages\.\n", result.stderr), result.stderr
    assert "#, fuzzy" not in HEBREW_PO.read_text(encoding="utf-8")


def test_messages_from_every_app_read_in_hebrew():
    with translation.override("he"):
        translated = {msgid: gettext(msgid) for msgid in SAMPLE}
        people = [ngettext("%(n)s person", "%(n)s people", n) % {"n": n} for n in (1, 2, 5)]
    untranslated = [msgid for msgid, text in translated.items() if text == msgid]
    assert not untranslated, untranslated
    assert all(re.search("[\u0590-\u05ff]", text) for text in translated.values())
    assert people == ["1 אדם", "2 אנשים", "5 אנשים"]
