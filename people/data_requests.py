"""A person's data on request (GDPR articles 15, 17 and 20), in one tenant only.

``request_export`` and ``request_erasure`` check who asks, keep a ``DataRequest`` row, audit
it and hand the work to Celery (``people.tasks``); ``export_person_data`` builds a ZIP of JSON
files (one per kind of row that names the person) and the files they sent, and
``erase_person`` re-points, deletes and rewrites what ``people.erasure`` lists. Both move the
row's progress as they go and are safe to run twice: an export starts its file anew, an
erasure finds only what is left to do (the placeholder is kept on the row).
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.models import UserObjectPermission

from accounts.access import decide
from accounts.models import AuditEntry, DataRequest, Membership, Tenant, User
from accounts.services import NotPermitted, record_audit
from outbox.services import enqueue
from tickets.models import Attachment, Comment, Queue, Rating, Ticket

from .erasure import (
    DELETE,
    PLACEHOLDER_DOMAIN,
    REPOINT,
    base_rows,
    label,
    replace_copies,
    tenant_user_fields,
)

# Never in an archive: secrets, even hashed.
SECRET_FIELDS = frozenset({"password", "token_hash", "key_hash"})


def _member(tenant: Tenant, person: User) -> Membership:
    membership = Membership.objects.for_tenant(tenant).filter(user=person).first()
    if membership is None:
        raise NotPermitted(_("This person is not a member of this helpdesk."))
    return membership


def may_export(member: Membership, person: User) -> bool:
    """The person themself, or whoever manages people (admins)."""
    return (member.user_id == person.pk and member.is_active) or decide(
        member, "manage_people"
    ).allowed


@transaction.atomic
def request_export(*, tenant: Tenant, person: User, by: Membership) -> DataRequest:
    """An export of everything ``tenant`` holds about ``person``, or the one under way."""
    if not may_export(by, person):
        reasons = [str(r) for r in decide(by, "manage_people").reasons]
        raise NotPermitted(" ".join(reasons), reasons)
    membership = _member(tenant, person)
    running = (
        DataRequest.objects.for_tenant(tenant)
        .about(person)
        .filter(
            kind=DataRequest.Kind.EXPORT,
            requested_by=by.user,
            status__in=[DataRequest.Status.WAITING, DataRequest.Status.RUNNING],
        )
        .first()
    )
    if running is not None:
        return running
    data_request = DataRequest.objects.create(
        tenant=tenant, kind=DataRequest.Kind.EXPORT, person=person, requested_by=by.user
    )
    record_audit(
        tenant=tenant,
        actor=by.user,
        action="person.export_requested",
        target=membership,
        after={"request": data_request.pk},
    )
    enqueue("people.tasks.export_person_data_task", data_request.pk)
    return data_request


@transaction.atomic
def request_erasure(
    *, tenant: Tenant, person: User, by: Membership, keep_comments: bool
) -> DataRequest:
    """Erase ``person`` from ``tenant`` (never from another): admins only, never oneself."""
    decision = decide(by, "manage_people")
    if not decision.allowed:
        reasons = [str(r) for r in decision.reasons]
        raise NotPermitted(" ".join(reasons), reasons)
    if person.pk == by.user_id:
        raise NotPermitted(_("You cannot erase yourself: ask another admin."))
    membership = _member(tenant, person)
    data_request = DataRequest.objects.create(
        tenant=tenant,
        kind=DataRequest.Kind.ERASE,
        person=person,
        requested_by=by.user,
        keeps_comments=keep_comments,
    )
    record_audit(
        tenant=tenant,
        actor=by.user,
        action="person.erase_requested",
        target=membership,
        after={"request": data_request.pk, "comments": "kept" if keep_comments else "removed"},
    )
    enqueue("people.tasks.erase_person_task", data_request.pk)
    return data_request


def may_download(data_request: DataRequest, user: User) -> bool:
    """Only the admin who asked, or the person, and only until the download expires."""
    return data_request.is_downloadable and user.pk in (
        data_request.requested_by_id,
        data_request.person_id,
    )


def _advance(data_request: DataRequest, **fields) -> None:
    DataRequest.objects.filter(pk=data_request.pk).update(**fields)
    for name, value in fields.items():
        setattr(data_request, name, value)


# --- Export ----------------------------------------------------------------------------------


def _rows_json(queryset) -> str:
    model = queryset.model
    names = [
        f.name
        for f in model._meta.concrete_fields
        if f.name not in SECRET_FIELDS and not f.primary_key
    ]
    return serializers.serialize("json", queryset.order_by("pk"), fields=names, indent=2)


def export_person_data(data_request: DataRequest) -> DataRequest:
    """Write the archive into the storage: profile, then each kind of row, then files."""
    if data_request.status == DataRequest.Status.DONE:
        return data_request
    tenant, person = data_request.tenant, data_request.person
    _advance(data_request, status=DataRequest.Status.RUNNING, progress=0)
    parts = [(model, field) for model, field in tenant_user_fields()]
    attachments = list(
        Attachment.objects.for_tenant(tenant).filter(uploaded_by=person).order_by("pk")
    )
    steps = len(parts) + 3 + len(attachments)
    done = 0
    with tempfile.TemporaryFile() as spool:
        with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("profile.json", json.dumps(_profile(person), indent=2))
            for model, field in parts:
                rows = base_rows(model).filter(tenant=tenant, **{field.name: person})
                if rows.exists():
                    archive.writestr(f"{label(model, field)}.json", _rows_json(rows))
                done += 1
                _advance(data_request, progress=min(99, 100 * done // steps))
            archive.writestr("ratings.json", _rows_json(_ratings(tenant, person)))
            archive.writestr("audit-about-them.json", _rows_json(_audit_about(tenant, person)))
            done += 2
            for attachment in attachments:
                with attachment.file.open("rb") as source:
                    archive.writestr(
                        f"attachments/{attachment.pk}-{attachment.filename}", source.read()
                    )
                done += 1
                _advance(data_request, progress=min(99, 100 * done // steps))
        spool.seek(0)
        if data_request.file:
            data_request.file.delete(save=False)
        data_request.file.save("export.zip", File(spool), save=False)
    now = timezone.now()
    _advance(
        data_request,
        file=data_request.file.name,
        status=DataRequest.Status.DONE,
        progress=100,
        finished_at=now,
        expires_at=now + timedelta(days=settings.DATA_EXPORT_DAYS),
    )
    return data_request


def forget_expired_exports(*, now=None) -> int:
    """Delete the archives past their download days (the rows stay, as the record)."""
    now = now or timezone.now()
    expired = DataRequest.objects.filter(kind=DataRequest.Kind.EXPORT, expires_at__lte=now).exclude(
        file=""
    )
    forgotten = 0
    for data_request in expired:
        data_request.file.delete(save=False)
        DataRequest.objects.filter(pk=data_request.pk).update(file="")
        forgotten += 1
    return forgotten


def _profile(person: User) -> dict:
    return {
        "email": person.email,
        "name": person.name,
        "language": person.language,
        "date_joined": person.date_joined.isoformat(),
        "email_verified_at": (
            person.email_verified_at.isoformat() if person.email_verified_at else None
        ),
    }


def _ratings(tenant: Tenant, person: User):
    """Ratings they gave: those of the requests they made."""
    return Rating.objects.for_tenant(tenant).filter(ticket__requester=person)


def _audit_about(tenant: Tenant, person: User):
    memberships = Membership.objects.for_tenant(tenant).filter(user=person)
    return AuditEntry.objects.for_tenant(tenant).filter(
        target_type="membership", target_id__in=[str(m.pk) for m in memberships]
    )


# --- Erasure ---------------------------------------------------------------------------------


def _placeholder(data_request: DataRequest) -> User:
    if data_request.placeholder_id is not None:
        return data_request.placeholder
    placeholder = User.objects.create(
        email=f"erased-{data_request.tenant_id}-{data_request.pk}@{PLACEHOLDER_DOMAIN}",
        name=_("Erased person %(number)s") % {"number": data_request.pk},
        password=make_password(None),  # unusable: nobody signs in as it
        is_active=False,
    )
    _advance(data_request, placeholder=placeholder)
    return placeholder


def erase_person(data_request: DataRequest) -> DataRequest:
    """Anonymise the person in the request's tenant only; each step commits on its own, so
    progress shows and a rerun after a crash does what is left."""
    if data_request.status == DataRequest.Status.DONE:
        return data_request
    tenant, person = data_request.tenant, data_request.person
    _advance(data_request, status=DataRequest.Status.RUNNING)
    placeholder = _placeholder(data_request)
    steps = [
        lambda: _remove_exports(tenant, person),
        lambda: _remove_texts(data_request, tenant, person),
        lambda: _remove_attachments(tenant, person),
        lambda: _remove_queue_permissions(tenant, person),
        *[
            (lambda model=model, field=field: _delete_rows(tenant, person, model, field))
            for model, field in tenant_user_fields(DELETE)
        ],
        lambda: _end_membership(tenant, person),
        *[
            (
                lambda model=model, field=field: _repoint(
                    data_request, person, placeholder, model, field
                )
            )
            for model, field in tenant_user_fields(REPOINT)
        ],
        lambda: replace_copies(tenant=tenant, old=person.email, new=placeholder.email),
        lambda: _replace_name(tenant, person, placeholder),
    ]
    for number, step in enumerate(steps, start=1):
        with transaction.atomic():
            step()
        _advance(data_request, progress=min(99, 100 * number // len(steps)))
    with transaction.atomic():
        _advance(
            data_request,
            person=placeholder,
            status=DataRequest.Status.DONE,
            progress=100,
            finished_at=timezone.now(),
        )
        record_audit(
            tenant=tenant,
            actor=data_request.requested_by,
            action="person.erased",
            target=data_request,
            after={
                "placeholder": placeholder.name,
                "comments": "kept" if data_request.keeps_comments else "removed",
            },
        )
    return data_request


def _remove_exports(tenant: Tenant, person: User) -> None:
    exports = (
        DataRequest.objects.for_tenant(tenant).about(person).filter(kind=DataRequest.Kind.EXPORT)
    )
    for export in exports:
        if export.file:
            export.file.delete(save=False)
    exports.delete()


def _remove_texts(data_request: DataRequest, tenant: Tenant, person: User) -> None:
    if data_request.keeps_comments:
        return
    removed = _("[removed]")
    Comment.objects.for_tenant(tenant).filter(author=person).update(body=removed)
    Ticket.objects.for_tenant(tenant).filter(requester=person).update(description=removed)
    _ratings(tenant, person).exclude(comment="").update(comment=removed)


def _remove_attachments(tenant: Tenant, person: User) -> None:
    attachments = Attachment.objects.for_tenant(tenant).filter(uploaded_by=person)
    for attachment in attachments:
        attachment.file.delete(save=False)
    attachments.delete()


def _remove_queue_permissions(tenant: Tenant, person: User) -> None:
    queues = Queue.objects.for_tenant(tenant).values_list("pk", flat=True)
    UserObjectPermission.objects.filter(
        user=person,
        content_type=ContentType.objects.get_for_model(Queue),
        object_pk__in=[str(pk) for pk in queues],
    ).delete()


def _delete_rows(tenant: Tenant, person: User, model, field) -> None:
    base_rows(model).filter(tenant=tenant, **{field.name: person}).delete()


def _end_membership(tenant: Tenant, person: User) -> None:
    membership = Membership.objects.for_tenant(tenant).filter(user=person).first()
    if membership is not None:
        # save(), not update(): the cached staff lists hear of it.
        membership.status = Membership.Status.DEACTIVATED
        membership.save(update_fields=["status"])


def _repoint(data_request: DataRequest, person: User, placeholder: User, model, field) -> None:
    rows = base_rows(model).filter(tenant=data_request.tenant, **{field.name: person})
    if model is DataRequest:
        # This request names them until it is done, so that a rerun knows whom to erase.
        rows = rows.exclude(pk=data_request.pk)
    rows.update(**{field.name: placeholder})


def _replace_name(tenant: Tenant, person: User, placeholder: User) -> None:
    # A name too short to be told from ordinary text is left to the address's replacement.
    if len(person.name.strip()) >= 3:
        replace_copies(tenant=tenant, old=person.name.strip(), new=placeholder.name)
