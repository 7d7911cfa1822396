"""Erasing a person from one helpdesk (GDPR article 17): every row of that tenant that names
them names a placeholder instead, their files go, their words stay or go by choice, and the
other helpdesk they belong to is untouched, byte for byte."""

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models
from django.urls import reverse

from accounts.models import AuditEntry, DataRequest, Membership, User
from people.erasure import (
    ACCOUNT,
    COPIES,
    ERASURE,
    NOT_A_PERSON,
    QUEUE_PERMISSION,
    label,
    tenant_user_fields,
    user_fields,
)
from tests.conftest import login_api, wait_for
from tickets.models import Attachment, Comment, Rating, Ticket, TicketEvent


def erase_url(person, slug="acme"):
    return reverse("api-user-erase", args=[slug, person.pk])


def test_every_field_that_points_at_a_person_is_handled():
    """A model added later with a user field fails here until erasure says what to do."""
    unnamed = [label(m, f) for m, f in user_fields() if label(m, f) not in ERASURE]
    assert unnamed == []
    stale = set(ERASURE) - {label(m, f) for m, f in user_fields()}
    assert stale == set()
    for model, field in user_fields():
        if ERASURE[label(model, field)] not in (ACCOUNT, QUEUE_PERMISSION):
            assert any(f.name == "tenant" for f in model._meta.concrete_fields), label(model, field)


def test_every_address_field_is_a_copy_replaced_or_not_a_person():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.EmailField) or field.name in ("sender", "from_address"):
                name = f"{model._meta.label}.{field.name}"
                assert name in NOT_A_PERSON or field.name in COPIES.get(model._meta.label, ()), name


def tenant_rows(tenant) -> dict:
    """Every row of every tenant model of ``tenant``, as stored, and its files' bytes."""
    rows = {}
    for model in apps.get_models():
        if any(f.name == "tenant" for f in model._meta.concrete_fields):
            rows[model._meta.label] = list(
                models.QuerySet(model).filter(tenant=tenant).order_by("pk").values()
            )
    rows["files"] = [
        default_storage.open(a.file.name).read()
        for a in Attachment.objects.for_tenant(tenant).order_by("pk")
    ]
    return rows


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_admin_erases_bob_from_acme_and_globex_is_untouched(
    api, acme, globex, ada, bob, two_stories, real_worker
):
    # The stories are told (their notices sent, eagerly) before the worker starts.
    acme_ticket, _ = two_stories
    before_globex = tenant_rows(globex)
    acme_file = Attachment.objects.for_tenant(acme).get().file.name
    tickets_before = Ticket.objects.for_tenant(acme).count()

    response = login_api(api, ada).post(erase_url(bob.user), {"comments": "remove"}, format="json")

    assert response.status_code == 202, response.content
    erasure_id = response.json()["id"]

    def done():
        return DataRequest.objects.get(pk=erasure_id).status == DataRequest.Status.DONE

    wait_for(done)
    erasure = DataRequest.objects.get(pk=erasure_id)
    placeholder = erasure.placeholder
    assert erasure.progress == 100
    assert placeholder.email.endswith("@erased.invalid") and not placeholder.has_usable_password()
    assert placeholder.name == f"Erased person {erasure_id}"
    # Nothing of acme names Bob any more, by key or by copy.
    for model, field in tenant_user_fields():
        assert not models.QuerySet(model).filter(tenant=acme, **{field.name: bob.user}).exists()
    for model_label, names in COPIES.items():
        for name in names:
            rows = models.QuerySet(apps.get_model(model_label)).filter(tenant=acme)
            for value in rows.values_list(name, flat=True):
                assert "bob@acme.test" not in str(value).lower(), (model_label, name)
                assert "Bob Buyer" not in str(value), (model_label, name)
    copied = AuditEntry.objects.for_tenant(acme).get(action="invitation.sent").after
    assert copied == {
        "email": placeholder.email,
        "note": f"for {placeholder.name} <{placeholder.email}>",
    }
    assert not Membership.objects.for_tenant(acme).filter(user=bob.user).exists()
    assert Membership.objects.for_tenant(acme).get(user=placeholder).status == "deactivated"
    acme_ticket.refresh_from_db()
    assert acme_ticket.requester == placeholder
    assert acme_ticket.description == "[removed]"
    assert Comment.objects.for_tenant(acme).get(author=placeholder).body == "[removed]"
    assert Rating.objects.for_tenant(acme).get().comment == "[removed]"
    assert not Attachment.objects.for_tenant(acme).exists()
    assert not default_storage.exists(acme_file)
    # Metrics keep their counts: the tickets and their history stay.
    assert Ticket.objects.for_tenant(acme).count() == tickets_before
    assert TicketEvent.objects.for_tenant(acme).filter(actor=placeholder).exists()
    # Audited: asked for by Ada, done in her name.
    assert (
        AuditEntry.objects.for_tenant(acme).filter(action="person.erased", actor=ada.user).exists()
    )
    assert AuditEntry.objects.for_tenant(acme).filter(action="person.erase_requested").exists()
    # Globex, where Bob is a customer too, is as it was, and so is Bob's account.
    assert tenant_rows(globex) == before_globex
    bob.user.refresh_from_db()
    assert bob.user.email == "bob@acme.test" and bob.user.check_password("correct-horse-battery")


def test_comments_can_be_kept(api, acme, ada, bob, two_stories, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = login_api(api, ada).post(erase_url(bob.user), {}, format="json")

    assert response.status_code == 202
    erasure = DataRequest.objects.get(pk=response.json()["id"])
    assert erasure.status == "done"
    comment = Comment.objects.for_tenant(acme).get(author=erasure.placeholder)
    assert comment.body == "Acme reply by Bob"
    assert not Attachment.objects.for_tenant(acme).exists()


def test_erasure_run_twice_does_it_once(acme, ada, bob, two_stories):
    from people.data_requests import erase_person, request_erasure

    erasure = request_erasure(tenant=acme, person=bob.user, by=ada, keep_comments=True)
    erase_person(erasure)
    erasure.refresh_from_db()
    erasure.status = DataRequest.Status.RUNNING  # as if the worker died before the last stamp
    erase_person(erasure)
    assert User.objects.filter(email__endswith="@erased.invalid").count() == 1
    assert AuditEntry.objects.for_tenant(acme).filter(action="person.erased").count() == 2


def test_only_admins_erase_and_never_themselves(api, acme, ada, alice, bob, two_stories):
    assert login_api(api, alice).post(erase_url(bob.user), {}).status_code == 403
    assert login_api(api, ada).post(erase_url(ada.user), {}).status_code == 403
    assert login_api(api, ada).post(erase_url(bob.user), {"comments": "x"}).status_code == 400
    assert not DataRequest.objects.filter(kind="erase").exists()


def test_an_admin_of_another_helpdesk_gets_404(api, mallory, bob, bob_in_globex):
    assert login_api(api, mallory).post(erase_url(bob.user)).status_code == 404
    assert not DataRequest.objects.exists()
