"""A tiny OpenID provider for the tests of single sign-on: django-oauth-toolkit with OIDC on,
run as its own Django project in a subprocess (tests/oidc_provider/server.py starts it).

Who exists there and what it says of them is a JSON file (``OIDC_PROVIDER_PROFILES``) the
tests write and may change between two sign-ins: the users (password, address, whether it is
verified, groups) and the clients. A user's ``mode`` makes the provider misbehave on purpose:
``expired`` (an ID token past its ``exp``), ``wrong_audience`` (issued for another client) or
``forged`` (signed by a key that is not the provider's)."""
