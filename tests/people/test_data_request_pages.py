"""The person page's "Personal data" section: progress, the download, export and erase."""

from django.urls import reverse

from accounts.models import DataRequest, Membership


def person_url(member):
    return reverse("accounts:person", args=["acme", member.user_id])


def test_admin_exports_and_erases_from_the_person_page(
    client, acme, ada, bob, two_stories, django_capture_on_commit_callbacks
):
    client.force_login(ada.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:person_export", args=["acme", bob.user_id]))
    assert response.status_code == 302
    page = client.get(person_url(bob)).content.decode()
    export = DataRequest.objects.get(kind="export")
    assert "Done (100 %)" in page
    download = reverse("accounts:data_request_download", args=["acme", export.pk])
    assert download in page
    assert client.get(download)["Content-Type"] == "application/zip"

    # Unconfirmed: nothing happens.
    client.post(reverse("accounts:person_erase", args=["acme", bob.user_id]), {})
    assert not DataRequest.objects.filter(kind="erase").exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:person_erase", args=["acme", bob.user_id]),
            {"confirm": "erase", "comments": "remove"},
        )
    assert DataRequest.objects.get(kind="erase").status == "done"
    assert not Membership.objects.for_tenant(acme).filter(user=bob.user).exists()


def test_an_agent_sees_no_personal_data_section_and_cannot_erase(client, alice, bob, two_stories):
    client.force_login(alice.user)
    assert "Export their data" not in client.get(person_url(bob)).content.decode()
    response = client.post(
        reverse("accounts:person_erase", args=["acme", bob.user_id]), {"confirm": "erase"}
    )
    assert response.status_code == 403
    assert not DataRequest.objects.exists()
