"""Categories of the knowledge base: named once."""

import pytest

from knowledge.models import Category

pytestmark = pytest.mark.django_db


def test_adding_a_category_twice_says_it_exists_and_adds_nothing(client, acme, sam):
    client.force_login(sam.user)
    first = client.post("/t/acme/kb/manage/categories/", {"name": "Billing"}, follow=True)
    again = client.post("/t/acme/kb/manage/categories/", {"name": "billing"}, follow=True)
    assert "Category added." in first.content.decode()
    assert "There is already a category “Billing”." in again.content.decode()
    assert Category.objects.for_tenant(acme).count() == 1
