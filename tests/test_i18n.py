"""The Hebrew catalogue is complete, valid and compiled."""

import os
import re
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
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


def test_every_message_of_code_and_templates_is_in_the_catalogue(tmp_path):
    """Extract anew (Python and the Jinja2 templates, accounts' makemessages) in a copy of the
    tree: nothing may come out untranslated or fuzzy, and no message of the catalogue may go
    unfound (obsolete, ``#~``), as a template's message would if the extraction missed it."""
    root = Path(settings.BASE_DIR)
    skip = {".venv", ".git", "bench", "tests", "scripts", "static", "node_modules"}
    for entry in root.iterdir():
        if entry.is_dir() and entry.name not in skip and not entry.name.startswith("."):
            shutil.copytree(entry, tmp_path / entry.name, ignore=shutil.ignore_patterns("*.mo"))
    cwd = Path.cwd()
    os.chdir(tmp_path)  # makemessages reads, and writes the catalogue, below the working dir
    try:
        call_command(
            "makemessages",
            locale=["he"],
            extensions=["html", "txt", "py"],
            ignore_patterns=["*/migrations/*"],
            verbosity=0,
        )
    finally:
        os.chdir(cwd)
    extracted_po = tmp_path / "locale" / "he" / "LC_MESSAGES" / "django.po"
    extracted = extracted_po.read_text(encoding="utf-8")
    result = subprocess.run(  # noqa: S603 (fixed arguments: a copy of our own catalogue)
        [shutil.which("msgfmt"), "--statistics", "-o", "/dev/null", str(extracted_po)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "LC_ALL": "C"},
    )
    assert re.fullmatch(r"\d+ translated messages\.\n", result.stderr), result.stderr
    assert "#, fuzzy" not in extracted
    assert "\n#~ msgid" not in extracted
    # The Jinja2 templates were read: a message only a template holds is there, with its file.
    assert "#: templates/base.html" in extracted
