"""Who the test provider knows, and signing in through it as a browser would (the helpdesk
by Django's test client, the provider over real HTTP)."""

from __future__ import annotations

import copy
from urllib.parse import parse_qs, urlsplit

import requests

PROVIDER_PASSWORD = "acme-id-password-1"
CLIENT_ID = "helpdesk"
CLIENT_SECRET = "helpdesk-client-secret"


def _user(email: str, **more) -> dict:
    return {"password": PROVIDER_PASSWORD, "email": email, "email_verified": True, **more}


USERS = {
    "bob": _user("bob@acme.test", name="Bob Buyer"),
    "alice": _user("alice@acme.test", name="Alice Agent"),
    "dana": _user("dana@acme.test", name="Dana Lead", groups=["support-leads"]),
    # Claims Alice's address without the provider having verified it.
    "eve": _user("alice@acme.test", name="Eve", email_verified=False),
    "newt": _user("newt@acme.test", name="Newt", email_verified=False),
    "expired": _user("expired@acme.test", mode="expired"),
    "wrongaud": _user("wrongaud@acme.test", mode="wrong_audience"),
    "forged": _user("forged@acme.test", mode="forged"),
}


def profiles(*redirect_uris: str) -> dict:
    return {
        "users": copy.deepcopy(USERS),
        "clients": [
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": list(redirect_uris),
            }
        ],
    }


def sign_in_through(client, start_path: str, username: str, *, host="http://testserver"):
    """Start at the helpdesk, sign in at the provider's form, come back: the callback's
    answer (the helpdesk's own client follows nothing further)."""
    start = client.get(start_path)
    assert start.status_code == 302, start
    browser = requests.Session()
    login = browser.get(start["Location"], timeout=10)  # the provider sends us to its form
    assert login.status_code == 200, login.text
    next_url = parse_qs(urlsplit(login.url).query)["next"][0]
    signed_in = browser.post(
        login.url,
        data={
            "username": username,
            "password": PROVIDER_PASSWORD,
            "next": next_url,
            "csrfmiddlewaretoken": browser.cookies["provider_csrftoken"],
        },
        headers={"Referer": login.url},
        allow_redirects=False,
        timeout=10,
    )
    assert signed_in.status_code == 302, signed_in.text
    authorized = browser.get(
        requests.compat.urljoin(login.url, signed_in.headers["Location"]),
        allow_redirects=False,
        timeout=10,
    )
    assert authorized.status_code == 302, authorized.text
    callback = authorized.headers["Location"]
    assert callback.startswith(host), callback
    return client.get(callback.removeprefix(host))
