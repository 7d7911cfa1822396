"""A person's data as a download (GDPR articles 15 and 20): a ZIP of JSON per kind of row and
the files they sent, of one helpdesk only, to the person or the admin who asked."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry, DataRequest
from people.data_requests import forget_expired_exports
from tests.conftest import login_api, wait_for


def export_url(person, slug="acme"):
    return reverse("api-user-export", args=[slug, person.pk])


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_bob_downloads_what_acme_holds_on_him_and_nothing_of_globex(
    api, acme, bob, carol, two_stories, real_worker
):
    response = login_api(api, bob).get(export_url(bob.user))

    assert response.status_code == 202
    assert response.json()["status"] in ("waiting", "running", "done")
    request_id = response.json()["id"]

    def done():
        return DataRequest.objects.get(pk=request_id).status == DataRequest.Status.DONE

    wait_for(done)
    again = api.get(export_url(bob.user)).json()
    assert again["id"] == request_id and again["progress"] == 100
    download = api.get(again["download_url"])
    assert download.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = set(archive.namelist())
    assert {"profile.json", "tickets.Ticket.requester.json", "tickets.Comment.author.json"} <= names
    assert json.loads(archive.read("profile.json"))["email"] == "bob@acme.test"
    everything = b"".join(archive.read(n) for n in names)
    assert b"Acme: charged twice" in everything and b"Acme reply by Bob" in everything
    assert b"Globex" not in everything
    assert b"password" not in everything
    receipt = next(n for n in names if n.startswith("attachments/"))
    assert archive.read(receipt) == b"Acme receipt"
    assert json.loads(archive.read("ratings.json"))[0]["fields"]["score"] == 5
    assert AuditEntry.objects.for_tenant(acme).filter(action="person.export_requested").exists()
    # Nobody else gets the file, not even a colleague with its address.
    login_api(api, carol)
    assert api.get(again["download_url"]).status_code == 404
    assert api.get(reverse("api-data-request", args=["acme", request_id])).status_code == 404


def test_an_admin_exports_a_customer_and_an_agent_may_not(
    api, acme, ada, alice, bob, two_stories, django_capture_on_commit_callbacks
):
    assert login_api(api, alice).get(export_url(bob.user)).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = login_api(api, ada).get(export_url(bob.user))
    assert response.status_code == 202
    export = DataRequest.objects.get(pk=response.json()["id"])
    assert export.status == "done" and export.requested_by == ada.user
    status = api.get(reverse("api-data-request", args=["acme", export.pk])).json()
    assert status["download_url"]
    # Past its days the download is gone, and the next GET starts a fresh export.
    DataRequest.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(1))
    assert api.get(status["download_url"]).status_code == 404
    assert forget_expired_exports() == 1 and forget_expired_exports() == 0
    assert not default_storage.exists(export.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        fresh = api.get(export_url(bob.user)).json()
    assert fresh["id"] != export.pk


def test_a_person_of_another_helpdesk_is_404(api, ada, mallory):
    assert login_api(api, ada).get(export_url(mallory.user)).status_code == 404
    assert not DataRequest.objects.exists()
