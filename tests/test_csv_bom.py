"""Every CSV export starts with UTF-8's byte-order mark, so that a spreadsheet program reads
Hebrew as Hebrew (without it, Excel on a Hebrew desktop reads the file as Windows-1255)."""

import codecs
import csv
import io
import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from metrics.services import update_metrics
from tests.factories import make_queue, make_ticket

APPS = ["accounts", "tickets", "knowledge", "metrics", "people", "notifications", "helpdesk"]


def test_the_metrics_export_opens_with_its_hebrew_names(client, acme, ada, alice, bob):
    queue = make_queue(acme, "חיובים", alice.user)
    make_ticket(acme, bob.user, queue, subject="חשבונית כפולה")
    update_metrics(tenant=acme, full=True)
    client.force_login(ada.user)

    response = client.get(reverse("metrics:export", args=["acme"]))

    assert response.status_code == 200
    assert response.content.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["section", "figure", "value", "previous_period_value"]
    by_queue = next(row for row in rows if row and row[0] == "חיובים")
    assert by_queue[1] == "1"  # the ticket created in it


def test_every_csv_response_is_made_by_the_one_helper():
    """A new export written by hand (text/csv, csv.writer on a response) would lack the BOM."""
    base = Path(settings.BASE_DIR)
    by_hand = [
        path.relative_to(base).as_posix()
        for app in APPS
        for path in (base / app).rglob("*.py")
        if "/migrations/" not in path.as_posix()
        and re.search(r'content_type="text/csv|csv\.writer\(\s*response', path.read_text())
    ]
    assert by_hand == []
    assert "BOM_UTF8" in (base / "core/exports.py").read_text()
