"""The served OpenAPI schema says what the API answers (schemathesis checks it in CI)."""

import pytest


@pytest.fixture
def schema(client, db):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def _properties(schema, name):
    return schema["components"]["schemas"][name]["properties"]


def test_nullable_fields_are_declared_nullable(schema):
    assert _properties(schema, "Article")["category"].get("nullable") is True
    assert _properties(schema, "Approval")["organization"].get("nullable") is True


def test_the_tenant_me_is_one_object_and_the_tenantless_me_a_plain_list(schema):
    tenant_me = schema["paths"]["/api/v1/t/{slug}/me/"]["get"]["responses"]["200"]
    assert tenant_me["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Me"}
    mine = schema["paths"]["/api/v1/me/"]["get"]["responses"]["200"]
    listed = mine["content"]["application/json"]["schema"]
    assert listed["type"] == "array"  # not paginated: a person has a handful of helpdesks


def test_a_download_is_declared_in_any_type_since_it_keeps_its_own(schema):
    path = "/api/v1/t/{slug}/tickets/{id}/attachments/{attachment_id}/download/"
    assert list(schema["paths"][path]["get"]["responses"]["200"]["content"]) == ["*/*"]
