"""The support address form of the settings pages."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from tickets.models import Mailbox, Queue

from .mailboxes import ImapSettings, address_refusal, host_refusal

ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class MailboxForm(forms.Form):
    PIPE, IMAP = "pipe", "imap"

    address = forms.EmailField(label=_("Address"), max_length=254)
    queue = forms.ModelChoiceField(
        label=_("Queue"), queryset=Queue.objects.none(), empty_label=None
    )
    reading = forms.ChoiceField(
        label=_("How mail arrives"),
        choices=[
            (PIPE, _("The mail server pipes it to the helpdesk (manage.py receive_email)")),
            (IMAP, _("The helpdesk reads an IMAP mailbox every minute")),
        ],
        initial=IMAP,
        widget=forms.RadioSelect,
    )
    imap_host = forms.CharField(label=_("IMAP server"), max_length=255, required=False)
    imap_port = forms.IntegerField(
        label=_("Port"),
        min_value=1,
        max_value=65535,
        required=False,
        help_text=_("Empty: 993 with TLS, 143 without."),
    )
    imap_tls = forms.BooleanField(
        label=_("TLS (the server's certificate is verified)"), required=False, initial=True
    )
    imap_username = forms.CharField(label=_("User name"), max_length=255, required=False)
    imap_password = forms.CharField(
        label=_("Password"),
        max_length=1000,
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Kept encrypted and never shown. Leave it empty to keep the one saved."),
    )
    imap_password_env = forms.CharField(
        label=_("Or: the environment variable holding the password"),
        max_length=100,
        required=False,
        help_text=_("Set on the server by its operator; the helpdesk then stores no password."),
    )
    imap_folder = forms.CharField(label=_("Folder"), max_length=255, initial="INBOX")

    def __init__(self, *args, tenant, mailbox: Mailbox | None = None, **kwargs):
        if mailbox is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "address": mailbox.address,
                "queue": mailbox.queue_id,
                "reading": self.IMAP if mailbox.imap_host else self.PIPE,
                "imap_host": mailbox.imap_host,
                "imap_port": mailbox.imap_port,
                "imap_tls": mailbox.imap_tls,
                "imap_username": mailbox.imap_username,
                "imap_password_env": mailbox.imap_password_env,
                "imap_folder": mailbox.imap_folder or "INBOX",
            }
        super().__init__(*args, **kwargs)
        self.mailbox = mailbox
        self.fields["queue"].queryset = Queue.objects.for_tenant(tenant)

    def clean_address(self):
        address = self.cleaned_data["address"]
        if refusal := address_refusal(address):
            raise forms.ValidationError(refusal)
        return address

    def clean_imap_host(self):
        host = self.cleaned_data["imap_host"].strip()
        if host and (refusal := host_refusal(host)):
            raise forms.ValidationError(refusal)
        return host

    def clean_imap_password_env(self):
        name = self.cleaned_data["imap_password_env"].strip()
        if name and not ENV_NAME.match(name):
            raise forms.ValidationError(_("Name an environment variable: letters, digits and _."))
        return name

    def clean(self):
        data = super().clean()
        if data.get("reading") == self.IMAP:
            for name in ("imap_host", "imap_username"):
                if not (data.get(name) or "").strip():
                    self.add_error(name, _("Needed to read the mailbox by IMAP."))
        return data

    def imap(self) -> ImapSettings | None:
        """The IMAP settings the form holds (None: piped); a password left empty is kept."""
        data = self.cleaned_data
        if data["reading"] != self.IMAP:
            return None
        return ImapSettings(
            host=data["imap_host"].strip(),
            port=data["imap_port"],
            tls=data["imap_tls"],
            username=data["imap_username"].strip(),
            folder=data["imap_folder"].strip() or "INBOX",
            password=data["imap_password"] or None,
            password_env=data["imap_password_env"],
        )
