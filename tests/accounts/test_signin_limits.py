"""Sign-in that cannot be guessed through, and cannot be used to lock everyone out.

Every test client comes from 127.0.0.1, which plays the TLS proxy or the attacker's address.
"""

import time
from types import SimpleNamespace

import pytest
from django.core import mail

from .test_joining import open_rule

TOKEN_URL = "/api/v1/auth/token/"
LOGIN_URL = "/accounts/login/"


@pytest.fixture
def one_window(monkeypatch):
    """The counters' clock held at the start of an hour: a test's requests fall in one
    window of any rate, however slowly they run (else one crossing a minute starts afresh)."""
    start = time.time() // 3600 * 3600
    monkeypatch.setattr("core.throttles.time", SimpleNamespace(time=lambda: start))


def page_sign_in(client, email, password, **headers):
    response = client.post(LOGIN_URL, {"username": email, "password": password}, headers=headers)
    signed_in = "_auth_user_id" in client.session
    client.logout()
    return response, signed_in


def test_token_endpoint_guessing_with_a_changing_forwarded_header_is_stopped(
    api, client, alice, password
):
    codes = [
        api.post(
            TOKEN_URL,
            {"email": alice.user.email, "password": f"guess-{i}"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",
        ).status_code
        for i in range(12)  # under the endpoint's 20/min: the lockout, not the rate, answers
    ]
    # Five failures lock this address out of this account; the header changes nothing.
    assert codes[:5] == [400] * 5
    assert set(codes[5:]) == {429}
    right = api.post(TOKEN_URL, {"email": alice.user.email, "password": password})
    assert right.status_code == 429
    assert "Too many failed sign-ins" in right.json()["detail"]
    assert int(right["Retry-After"]) > 0
    assert "token" not in right.json()
    # The same limit holds at the sign-in page: one mechanism for every way in.
    response, signed_in = page_sign_in(client, alice.user.email, password)
    assert not signed_in and "Too many failed sign-ins" in response.content.decode()


def test_page_failures_lock_the_token_endpoint_too(api, client, alice, password, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        page_sign_in(client, alice.user.email, "wrong")
    assert api.post(TOKEN_URL, {"email": alice.user.email, "password": password}).status_code == 429


def test_failures_on_made_up_accounts_behind_the_proxy_lock_no_one_else_out(
    client, ada, sam, bob, password
):
    # Everyone comes through one proxy address (as when TRUSTED_PROXIES is not set).
    for i in range(30):
        page_sign_in(client, f"nobody{i}@nowhere.test", "wrong")
    for member in (bob, sam, ada):
        _response, signed_in = page_sign_in(client, member.user.email, password)
        assert signed_in, member.user.email


def test_failures_lock_only_the_address_they_came_from(client, alice, password, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for _ in range(5):
        page_sign_in(client, alice.user.email, "wrong", X_Forwarded_For="203.0.113.66")
    response, signed_in = page_sign_in(
        client, alice.user.email, password, X_Forwarded_For="203.0.113.66"
    )
    assert not signed_in and "Too many failed sign-ins" in response.content.decode()
    # Alice herself, at her own address behind the same proxy, signs in.
    _response, signed_in = page_sign_in(
        client, alice.user.email, password, X_Forwarded_For="198.51.100.7"
    )
    assert signed_in


def test_guessing_one_account_from_many_addresses_is_slowed_but_its_owner_is_not(
    client, alice, password, settings
):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.LOGIN_ACCOUNT_SLOWDOWN_AFTER = 10
    home = "198.51.100.7"
    _response, signed_in = page_sign_in(client, alice.user.email, password, X_Forwarded_For=home)
    assert signed_in  # Alice has signed in from home before
    for i in range(10):  # a botnet: one guess per address, never reaching the pair limit
        page_sign_in(client, alice.user.email, "wrong", X_Forwarded_For=f"203.0.113.{i}")
    refused = 0
    for i in range(20, 30):
        response, signed_in = page_sign_in(
            client, alice.user.email, "wrong", X_Forwarded_For=f"203.0.113.{i}"
        )
        refused += "Too many failed sign-ins" in response.content.decode()
    assert refused == 9  # one try per slowdown period for the whole account
    _response, signed_in = page_sign_in(client, alice.user.email, password, X_Forwarded_For=home)
    assert signed_in


def test_trying_many_accounts_from_one_address_is_slowed_but_spares_their_owners(
    client, alice, bob, password, settings
):
    settings.LOGIN_ADDRESS_SLOWDOWN_AFTER = 20
    _response, signed_in = page_sign_in(client, bob.user.email, password)
    assert signed_in  # Bob has signed in from this address before
    for i in range(20):  # one password tried on many accounts
        page_sign_in(client, f"someone{i}@acme.test", "Summer2026!")
    refused = [
        "Too many failed sign-ins"
        in page_sign_in(client, f"other{i}@acme.test", "x")[0].content.decode()
        for i in range(5)
    ]
    assert refused == [False, True, True, True, True]
    response, signed_in = page_sign_in(client, alice.user.email, password)
    assert not signed_in  # a first sign-in from here waits its turn too ...
    _response, signed_in = page_sign_in(client, bob.user.email, password)
    assert signed_in  # ... but Bob, at his usual address, is not slowed


def test_the_api_throttles_are_on_and_count_per_person(api, alice, settings, one_window):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**rates, "user": "5/min"},
    }
    api.force_authenticate(alice.user)
    codes = [api.get("/api/v1/t/acme/me/").status_code for _ in range(7)]
    assert codes == [200] * 5 + [429] * 2


def test_the_anonymous_api_throttle_ignores_the_forwarded_header(api, settings, one_window):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**rates, "anon": "2/min"},
    }
    codes = [
        api.get("/api/v1/schema/", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code
        for i in range(3)
    ]
    assert codes == [200, 200, 429]


def test_sign_up_limits_ignore_the_forwarded_header(api, client, acme, settings):
    open_rule(acme, by=None)  # a helpdesk that takes sign-ups (else its join page is a 404)
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**rates, "register": "3/hour"},
    }
    codes = [
        api.post(
            "/api/v1/t/acme/register/",
            {"email": f"flood{i}@example.com", "name": "F", "password": "a-long-passphrase"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",
        ).status_code
        for i in range(5)
    ]
    assert 429 not in codes[:3] and codes[3:] == [429, 429]
    for i in range(4):
        page = client.post(
            "/t/acme/join/",
            {"email": f"pflood{i}@example.com", "name": "F", "password": "a-long-passphrase"},
            headers={"X-Forwarded-For": f"198.51.100.{i}"},
        )
    assert page.status_code == 429


def test_password_reset_mails_are_limited_per_address(client, alice, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for i in range(15):  # from many places, so that only the per-address limit is at work
        response = client.post(
            "/accounts/password/reset/",
            {"email": alice.user.email},
            headers={"X-Forwarded-For": f"198.51.100.{i}"},
        )
        # Always the same answer: a stranger learns nothing of the limit or the account.
        assert response.status_code == 302
    assert len(mail.outbox) == 3


@pytest.mark.parametrize(
    ("trusted", "forwarded"),
    [
        ([], "198.51.100.{i}"),  # no proxy configured: the header is the client's own words
        (["127.0.0.1"], "198.51.100.{i}, 203.0.113.5"),  # only our proxy's hop counts
    ],
)
def test_password_reset_requests_are_limited_per_client(
    client, alice, settings, trusted, forwarded
):
    settings.TRUSTED_PROXIES = trusted
    settings.PASSWORD_RESET_CLIENT_RATE = "4/hour"
    codes = [
        client.post(
            "/accounts/password/reset/",
            {"email": f"someone{i}@example.com"},
            headers={"X-Forwarded-For": forwarded.format(i=i)},
        ).status_code
        for i in range(6)
    ]
    assert codes == [302] * 4 + [200] * 2
    response = client.post(
        "/accounts/password/reset/",
        {"email": alice.user.email},
        headers={"X-Forwarded-For": forwarded.format(i=9)},
    )
    assert "Too many password-reset requests" in response.content.decode()
    assert mail.outbox == []
