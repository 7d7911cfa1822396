"""Settings pages of the support addresses (admins): the list, add and edit (with a test of
the IMAP connection), delete with a confirmation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.views_access import member_required
from tickets.models import Mailbox

from .forms import MailboxForm
from .imap import MailboxError, check_connection, encrypt_password
from .mailboxes import create_mailbox, delete_mailbox, update_mailbox

# The views of the failed and refused mail, for the URL conf's one ``views`` module.
from .views_inbound import inbound_detail, inbound_discard, inbound_list, inbound_retry

__all__ = [
    "inbound_detail",
    "inbound_discard",
    "inbound_list",
    "inbound_retry",
    "mailbox_delete",
    "mailbox_edit",
    "mailbox_new",
    "mailboxes",
]


def _mailbox_or_404(request, pk) -> Mailbox:
    return get_object_or_404(
        Mailbox.objects.for_tenant(request.tenant).select_related("queue"), pk=pk
    )


@member_required("manage_mailboxes")
def mailboxes(request, slug):
    rows = Mailbox.objects.for_tenant(request.tenant).select_related("queue").order_by("address")
    return render(request, "mailroom/mailboxes.html", {"mailboxes": rows})


def _tested(form: MailboxForm) -> tuple[bool, str]:
    """Sign in with what the form holds, saving nothing: (it worked, what to tell)."""
    imap = form.imap()
    if imap is None:
        return False, _("A piped address has no connection to test.")
    trial = Mailbox(
        imap_host=imap.host,
        imap_port=imap.port,
        imap_tls=imap.tls,
        imap_username=imap.username,
        imap_folder=imap.folder,
        imap_password_env=imap.password_env,
    )
    if imap.password:
        trial.imap_password_encrypted = encrypt_password(imap.password)
    elif form.mailbox is not None and not imap.password_env:
        trial.imap_password_encrypted = form.mailbox.imap_password_encrypted
    try:
        return True, check_connection(trial)
    except MailboxError as error:
        return False, str(error)


def _mailbox_form(request, slug, mailbox: Mailbox | None):
    form = MailboxForm(request.POST or None, tenant=request.tenant, mailbox=mailbox)
    test = None
    if request.method == "POST" and form.is_valid():
        if "test" in request.POST:
            worked, said = _tested(form)
            test = {"worked": worked, "said": said}
        else:
            data = form.cleaned_data
            try:
                if mailbox is None:
                    mailbox = create_mailbox(
                        tenant=request.tenant,
                        address=data["address"],
                        queue=data["queue"],
                        imap=form.imap(),
                        by=request.user,
                    )
                else:
                    mailbox = update_mailbox(
                        mailbox=mailbox,
                        by=request.user,
                        address=data["address"],
                        queue=data["queue"],
                        imap=form.imap(),
                    )
            except ValidationError as refusal:
                for field, errors in refusal.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request, _("Support address %(address)s saved.") % {"address": mailbox}
                )
                return redirect("mailroom:mailboxes", slug=slug)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "mailroom/mailbox_form.html",
        {"form": form, "mailbox": mailbox, "test": test},
        status=status,
    )


@member_required("manage_mailboxes")
def mailbox_new(request, slug):
    return _mailbox_form(request, slug, None)


@member_required("manage_mailboxes")
def mailbox_edit(request, slug, pk):
    return _mailbox_form(request, slug, _mailbox_or_404(request, pk))


@member_required("manage_mailboxes")
def mailbox_delete(request, slug, pk):
    """A confirmation page (GET); its button (POST) deletes."""
    mailbox = _mailbox_or_404(request, pk)
    if request.method == "POST":
        delete_mailbox(mailbox=mailbox, by=request.user)
        messages.success(
            request, _("Support address %(address)s deleted.") % {"address": mailbox.address}
        )
        return redirect("mailroom:mailboxes", slug=slug)
    return render(request, "mailroom/mailbox_delete.html", {"mailbox": mailbox})
