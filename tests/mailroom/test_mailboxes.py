"""Support addresses, managed by admins: the API of /work/shared/API.md and the settings pages.

Ada is acme's admin; Sam (supervisor) and Alice (agent) may not; Mallory runs globex."""

from __future__ import annotations

import pytest
from cryptography.fernet import InvalidToken

from accounts.access import decide
from accounts.models import AuditEntry
from mailroom.imap import decrypt_password, encrypt_password, password_of
from tickets.models import Mailbox

from ..conftest import login_api
from .imapserver import running_imap_server

URL = "/api/v1/t/acme/mailboxes/"
PAGES = "/t/acme/settings/mailboxes/"
IMAP = {"host": "imap.acme.test", "port": 993, "tls": True, "username": "help", "folder": "INBOX"}


@pytest.fixture
def dovecot():
    with running_imap_server() as server:
        yield server


def test_only_admins_hold_the_new_action(ada, sam, alice, bob):
    assert decide(ada, "manage_mailboxes").allowed
    assert not any(decide(m, "manage_mailboxes").allowed for m in (sam, alice, bob))


def test_ada_adds_an_imap_address_and_the_password_is_kept_encrypted_never_shown(api, ada, billing):
    login_api(api, ada)

    response = api.post(
        URL,
        {"address": "Help@Acme.test", "queue": billing.pk, "imap": {**IMAP, "password": "s3cr3t!"}},
        format="json",
    )

    assert response.status_code == 201, response.content
    mailbox = Mailbox.objects.get()
    assert response.json() == {
        "id": mailbox.pk,
        "address": "help@acme.test",
        "queue": billing.pk,
        "imap": IMAP,
    }
    assert "s3cr3t!" not in mailbox.imap_password_encrypted
    assert decrypt_password(mailbox.imap_password_encrypted) == "s3cr3t!"
    assert "s3cr3t!" not in api.get(URL).content.decode()
    entry = AuditEntry.objects.get(action="mailbox.created")
    assert entry.actor == ada.user and "s3cr3t!" not in str(entry.after)
    assert entry.after["address"] == "help@acme.test" and entry.after["password"] is True


def test_a_piped_address_has_no_imap(api, ada, billing):
    login_api(api, ada)

    created = api.post(URL, {"address": "in@acme.test", "queue": billing.pk}, format="json")

    assert created.status_code == 201
    assert created.json()["imap"] is None
    listed = api.get(URL).json()
    assert listed["results"] == [created.json()]


def test_an_address_another_helpdesk_holds_is_taken_and_says_no_more(
    api, ada, billing, globex, globex_queue
):
    Mailbox.objects.create(tenant=globex, address="help@globex.test", queue=globex_queue)
    login_api(api, ada)

    response = api.post(URL, {"address": "HELP@globex.test", "queue": billing.pk}, format="json")

    assert response.status_code == 400
    assert response.json() == {"address": ["This address is taken."]}
    assert Mailbox.objects.for_tenant(ada.tenant).count() == 0


def test_a_queue_of_another_helpdesk_is_a_400(api, ada, globex_queue):
    login_api(api, ada)

    response = api.post(URL, {"address": "x@acme.test", "queue": globex_queue.pk}, format="json")

    assert response.status_code == 400
    assert "queue" in response.json() and "Globex" not in response.content.decode()
    assert not Mailbox.objects.exists()


def test_patch_keeps_the_password_unless_given_and_null_imap_makes_it_piped(
    api, ada, acme, billing, sam
):
    from tests.factories import make_queue

    sales = make_queue(acme, "Sales")
    login_api(api, ada)
    mailbox_id = api.post(
        URL,
        {"address": "help@acme.test", "queue": billing.pk, "imap": {**IMAP, "password": "one"}},
        format="json",
    ).json()["id"]

    moved = api.patch(f"{URL}{mailbox_id}/", {"queue": sales.pk}, format="json")
    assert moved.status_code == 200 and moved.json()["queue"] == sales.pk
    new_folder = api.patch(
        f"{URL}{mailbox_id}/", {"imap": {**IMAP, "folder": "Support"}}, format="json"
    )
    assert new_folder.json()["imap"]["folder"] == "Support"
    assert password_of(Mailbox.objects.get()) == "one"  # kept: none was given

    piped = api.patch(f"{URL}{mailbox_id}/", {"imap": None}, format="json")

    assert piped.json()["imap"] is None
    mailbox = Mailbox.objects.get()
    assert (mailbox.imap_host, mailbox.imap_password_encrypted) == ("", "")
    changes = AuditEntry.objects.filter(action="mailbox.changed").order_by("pk")
    assert [e.after["queue"] for e in changes] == ["Sales", "Sales", "Sales"]
    assert changes.last().after["imap"] == "" and changes.last().after["password"] is True


def test_the_password_may_come_from_the_environment(api, ada, billing, monkeypatch):
    monkeypatch.setenv("ACME_IMAP_PASSWORD", "from-the-env")
    login_api(api, ada)

    response = api.post(
        URL,
        {
            "address": "help@acme.test",
            "queue": billing.pk,
            "imap": {**IMAP, "password_env": "ACME_IMAP_PASSWORD"},
        },
        format="json",
    )

    assert response.status_code == 201 and "password_env" not in response.json()["imap"]
    mailbox = Mailbox.objects.get()
    assert mailbox.imap_password_encrypted == ""
    assert password_of(mailbox) == "from-the-env"
    bad = api.post(
        URL,
        {"address": "b@acme.test", "queue": billing.pk, "imap": {**IMAP, "password_env": "A B"}},
        format="json",
    )
    assert bad.status_code == 400 and "password_env" in bad.json()["imap"]


def test_the_encryption_key_can_be_rotated(settings):
    settings.MAILBOX_ENCRYPTION_KEY = "old secret"
    kept = encrypt_password("pw")

    settings.MAILBOX_ENCRYPTION_KEY = "new secret,old secret"

    assert decrypt_password(kept) == "pw"
    settings.MAILBOX_ENCRYPTION_KEY = "new secret"
    with pytest.raises(InvalidToken):
        decrypt_password(kept)


def test_delete_is_audited_and_the_address_is_free_again(api, ada, billing):
    login_api(api, ada)
    mailbox_id = api.post(URL, {"address": "help@acme.test", "queue": billing.pk}).json()["id"]

    assert api.delete(f"{URL}{mailbox_id}/").status_code == 204

    assert not Mailbox.objects.exists()
    assert AuditEntry.objects.filter(action="mailbox.deleted").count() == 1
    assert api.post(URL, {"address": "help@acme.test", "queue": billing.pk}).status_code == 201


@pytest.mark.parametrize("who", ["sam", "alice", "bob"])
def test_others_may_not_manage_support_addresses(api, client, billing, who, request):
    member = request.getfixturevalue(who)
    Mailbox.objects.create(tenant=billing.tenant, address="help@acme.test", queue=billing)
    login_api(api, member)
    client.force_login(member.user)

    assert api.get(URL).status_code == 403
    assert api.post(URL, {"address": "x@acme.test", "queue": billing.pk}).status_code == 403
    assert client.get(PAGES).status_code == 403
    assert client.post(PAGES + "new/", {"address": "x@acme.test"}).status_code == 403
    assert Mailbox.objects.count() == 1


def test_another_helpdesks_admin_sees_nothing(api, mallory, billing):
    mailbox = Mailbox.objects.create(tenant=billing.tenant, address="help@acme.test", queue=billing)
    login_api(api, mallory)

    assert api.get(URL).status_code == 404
    assert api.get(f"/api/v1/t/globex/mailboxes/{mailbox.pk}/").status_code == 404
    assert api.delete(f"/api/v1/t/globex/mailboxes/{mailbox.pk}/").status_code == 404
    assert Mailbox.objects.count() == 1


# --------------------------------------------------------------------------------- pages


def form(billing, **fields):
    return {
        "address": "help@acme.test",
        "queue": billing.pk,
        "reading": "imap",
        "imap_host": "127.0.0.1",
        "imap_port": "",
        "imap_tls": "on",
        "imap_username": "help@acme.test",
        "imap_password": "",
        "imap_password_env": "",
        "imap_folder": "INBOX",
        **fields,
    }


def test_the_settings_hub_leads_admins_to_the_addresses_and_the_mail_received(client, ada):
    client.force_login(ada.user)

    body = client.get("/t/acme/settings/").content.decode()

    assert PAGES in body and "/t/acme/settings/inbound-mail/" in body


def test_ada_adds_edits_and_deletes_an_address_through_the_pages(client, ada, billing):
    client.force_login(ada.user)

    added = client.post(PAGES + "new/", form(billing, imap_password="hunter2"))

    assert added.status_code == 302 and added.url == PAGES
    mailbox = Mailbox.objects.get()
    assert password_of(mailbox) == "hunter2"
    listing = client.get(PAGES).content.decode()
    assert "help@acme.test" in listing and "Billing" in listing and "Not yet" in listing
    edit = client.get(f"{PAGES}{mailbox.pk}/").content.decode()
    assert "hunter2" not in edit and mailbox.imap_password_encrypted not in edit

    saved = client.post(f"{PAGES}{mailbox.pk}/", form(billing, imap_folder="Support"))
    assert saved.status_code == 302
    mailbox.refresh_from_db()
    assert mailbox.imap_folder == "Support" and password_of(mailbox) == "hunter2"

    confirm = client.get(f"{PAGES}{mailbox.pk}/delete/")
    assert confirm.status_code == 200 and Mailbox.objects.exists()
    assert client.post(f"{PAGES}{mailbox.pk}/delete/").status_code == 302
    assert not Mailbox.objects.exists()


def test_the_form_says_what_is_wrong(client, ada, billing, globex, globex_queue):
    Mailbox.objects.create(tenant=globex, address="taken@globex.test", queue=globex_queue)
    client.force_login(ada.user)

    taken = client.post(PAGES + "new/", form(billing, address="taken@globex.test"))
    missing = client.post(PAGES + "new/", form(billing, imap_host=""))
    foreign = client.post(PAGES + "new/", form(billing, queue=globex_queue.pk))

    assert taken.status_code == 400 and "This address is taken." in taken.content.decode()
    assert "Globex" not in taken.content.decode()
    assert missing.status_code == 400
    assert "Needed to read the mailbox by IMAP." in missing.content.decode()
    assert foreign.status_code == 400
    assert Mailbox.objects.for_tenant(ada.tenant).count() == 0


def test_the_page_shows_when_the_box_was_read_and_its_last_error(client, ada, billing):
    Mailbox.objects.create(
        tenant=ada.tenant,
        address="help@acme.test",
        queue=billing,
        imap_host="imap.acme.test",
        imap_username="help",
        last_error="imap.acme.test refused the user name or password: nope",
    )
    client.force_login(ada.user)

    body = client.get(PAGES).content.decode()

    assert "refused the user name or password" in body


def test_test_the_connection_signs_in_and_reports_saving_nothing(
    settings, client, ada, billing, dovecot
):
    settings.IMAP_CA_FILE = str(dovecot.ca_file)
    dovecot.add_user("help@acme.test", "right")
    client.force_login(ada.user)
    fields = form(billing, imap_port=str(dovecot.tls_port), test="1")

    works = client.post(PAGES + "new/", {**fields, "imap_password": "right"})
    fails = client.post(PAGES + "new/", {**fields, "imap_password": "wrong"})

    assert works.status_code == 200
    assert "The connection works." in works.content.decode()
    assert "INBOX holds 0 messages" in works.content.decode()
    assert "The connection does not work." in fails.content.decode()
    assert "refused the user name or password" in fails.content.decode()
    assert not Mailbox.objects.exists()


def test_test_the_connection_uses_the_saved_password_when_none_is_typed(
    settings, client, ada, billing, dovecot
):
    settings.IMAP_CA_FILE = str(dovecot.ca_file)
    dovecot.add_user("help@acme.test", "saved")
    fields = form(billing, imap_port=str(dovecot.tls_port))
    client.force_login(ada.user)
    client.post(PAGES + "new/", {**fields, "imap_password": "saved"})
    mailbox = Mailbox.objects.get()

    tested = client.post(f"{PAGES}{mailbox.pk}/", {**fields, "test": "1"})

    assert "The connection works." in tested.content.decode()


def test_a_host_that_could_not_be_dialled_is_refused_before_anything_is_saved(
    api, client, ada, billing
):
    login_api(api, ada)
    client.force_login(ada.user)
    odd = "imap.acme.test\r\nA1 LOGOUT"

    by_api = api.post(
        URL,
        {"address": "help@acme.test", "queue": billing.pk, "imap": {**IMAP, "host": odd}},
        format="json",
    )
    by_page = client.post(PAGES + "new/", form(billing, imap_host=odd))

    assert by_api.status_code == 400 and "host" in by_api.json()["imap"]
    assert by_page.status_code == 400
    assert not Mailbox.objects.exists()


# --- Addresses of our own plus-addressing, hosts inside the network ---------------------------


def test_a_plus_address_is_refused_and_another_helpdesk_s_base_address_is_taken(
    api, client, ada, billing, globex, globex_queue, mallory
):
    """Plus-addressing is the helpdesk's own (reply tags): globex may not take
    support+1@acme's-address, nor anyone an address with a ``+``."""
    Mailbox.objects.create(tenant=ada.tenant, address="support@demo.example", queue=billing)
    login_api(api, mallory)
    theirs = "/api/v1/t/globex/mailboxes/"

    plus = api.post(theirs, {"address": "support+1@demo.example", "queue": globex_queue.pk})
    own_plus = api.post(theirs, {"address": "help+x@globex.test", "queue": globex_queue.pk})
    client.force_login(mallory.user)
    page = client.post(
        "/t/globex/settings/mailboxes/new/",
        form(globex_queue, address="support+1@demo.example", reading="pipe"),
    )

    assert plus.status_code == 400 and "+" in plus.json()["address"][0]
    assert own_plus.status_code == 400 and "+" in own_plus.json()["address"][0]
    assert page.status_code == 400 and "may not contain" in page.content.decode()
    assert Mailbox.objects.for_tenant(globex).count() == 0


@pytest.mark.parametrize(
    "host",
    [
        "169.254.169.254",
        "127.0.0.1",
        "10.0.0.5",
        "192.168.1.1",
        "fe80::1",
        "fd00::1",
        "0.0.0.0",  # noqa: S104 (an address refused, not one bound)
        "224.0.0.1",
    ],
)
def test_an_internal_imap_host_is_refused_on_save(settings, api, client, ada, billing, host):
    settings.IMAP_ALLOW_PRIVATE_HOSTS = False
    login_api(api, ada)
    client.force_login(ada.user)

    by_api = api.post(
        URL,
        {"address": "help@acme.test", "queue": billing.pk, "imap": {**IMAP, "host": host}},
        format="json",
    )
    by_page = client.post(PAGES + "new/", form(billing, imap_host=host))
    tested = client.post(PAGES + "new/", form(billing, imap_host=host, test="1"))

    assert by_api.status_code == 400
    assert "internal" in by_api.json()["imap"]["host"][0]
    assert by_page.status_code == 400 and "internal" in by_page.content.decode()
    assert "internal" in tested.content.decode()
    assert not Mailbox.objects.exists()


def test_a_name_resolving_to_loopback_is_refused_on_save_and_again_at_connect(
    settings, api, ada, billing
):
    from mailroom.imap import MailboxError, signed_in

    settings.IMAP_ALLOW_PRIVATE_HOSTS = False
    login_api(api, ada)
    by_api = api.post(
        URL,
        {"address": "help@acme.test", "queue": billing.pk, "imap": {**IMAP, "host": "localhost"}},
        format="json",
    )
    assert by_api.status_code == 400 and "internal" in by_api.json()["imap"]["host"][0]
    # Saved while the name was public (or before this check): the fetcher refuses to dial.
    saved = Mailbox.objects.create(
        tenant=ada.tenant, address="help@acme.test", queue=billing, imap_host="localhost"
    )
    with pytest.raises(MailboxError, match="internal"), signed_in(saved, "x"):
        pass
