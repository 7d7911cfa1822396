"""An admin adds an IMAP support address through the settings pages: she tests the
connection against a real dovecot first, then saves, and the list shows it."""

from playwright.sync_api import expect

from tests.factories import PASSWORD, make_member, make_queue, make_tenant
from tests.mailroom.imapserver import running_imap_server
from tickets.models import Mailbox


def test_ada_adds_an_imap_support_address_after_testing_the_connection(
    page, live_server, login, settings
):
    acme = make_tenant("acme")
    make_member(acme, "ada@acme.test", "admin", name="Ada Admin")
    make_queue(acme, "Billing")
    with running_imap_server() as dovecot:
        settings.IMAP_CA_FILE = str(dovecot.ca_file)
        dovecot.add_user("help@acme.test", "box-password")

        login("ada@acme.test", PASSWORD)
        page.goto(live_server.url + "/t/acme/settings/")
        page.get_by_role("link", name="Support addresses").click()
        page.get_by_role("link", name="Add a support address").click()
        page.get_by_label("Address").fill("help@acme.test")
        page.get_by_label("Queue").select_option(label="Billing")
        page.get_by_label("The helpdesk reads an IMAP mailbox every minute").check()
        page.get_by_label("IMAP server").fill("127.0.0.1")
        page.get_by_label("Port").fill(str(dovecot.tls_port))
        page.get_by_label("User name").fill("help@acme.test")
        page.get_by_label("Password", exact=True).fill("box-password")
        page.get_by_role("button", name="Test the connection").click()

        expect(page.get_by_text("The connection works.")).to_be_visible()
        assert not Mailbox.objects.exists()  # a test saves nothing
        # The password is never sent back: it is typed again to save.
        expect(page.get_by_label("Password", exact=True)).to_have_value("")
        page.get_by_label("Password", exact=True).fill("box-password")
        page.get_by_role("button", name="Save").click()

        expect(page.get_by_text("Support address help@acme.test saved.")).to_be_visible()
        row = page.get_by_role("row").filter(has_text="help@acme.test")
        expect(row).to_contain_text("Billing")
        expect(row).to_contain_text("IMAP: 127.0.0.1, INBOX")
        expect(row).to_contain_text("Not yet")
    assert Mailbox.objects.get().imap_host == "127.0.0.1"
