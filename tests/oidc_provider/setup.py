"""Fills the provider's database from the profiles file: its users and clients (run once,
after ``migrate``, by server.py)."""

import json
import os
from pathlib import Path

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc_provider.settings")
    django.setup()
    from django.contrib.auth.models import User
    from oauth2_provider.models import Application

    profiles = json.loads(Path(os.environ["OIDC_PROVIDER_PROFILES"]).read_text())
    for username, profile in profiles["users"].items():
        User.objects.create_user(username, password=profile["password"])
    for client in profiles["clients"]:
        Application.objects.create(
            name=client["client_id"],
            client_id=client["client_id"],
            client_secret=client["client_secret"],
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=" ".join(client["redirect_uris"]),
            algorithm=Application.RS256_ALGORITHM,
            skip_authorization=True,
        )


if __name__ == "__main__":
    main()
