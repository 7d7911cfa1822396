"""Every 404 under /api/ is the API's JSON shape, the same bytes as for an unknown helpdesk."""

import pytest

from tests.conftest import login_api

UNKNOWN_SLUG = "/api/v1/t/no-such-helpdesk/tickets/"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/t/{slug}/inbound-messages/abc/"),
        ("get", "/api/v1/t/{slug}/inbound-messages/99999999999999999999/"),
        ("get", "/api/v1/t/{slug}/tickets/99999999999999999999999/"),
        ("post", "/api/v1/t/{slug}/tickets/{number}/macros/None/"),
        ("get", "/api/v1/no-such-route/"),
    ],
)
def test_api_404s_answer_json_like_an_unknown_helpdesk(api, ada, acme_ticket, method, path):
    login_api(api, ada)
    unknown = api.get(UNKNOWN_SLUG)
    assert unknown.status_code == 404
    response = getattr(api, method)(path.format(slug="acme", number=acme_ticket.number))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.content == unknown.content
