"""Starts the test OpenID provider (this folder's Django project) with gunicorn on a free
loopback port, its own SQLite database and a freshly generated RSA key, and stops it."""

from __future__ import annotations

import json
import os
import socket
import subprocess  # noqa: S404 (a fixed command line: our own provider)
import sys
import time
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Provider:
    """A running provider; ``profiles`` can be rewritten (``save()``) while it runs."""

    def __init__(self, folder: Path, profiles: dict):
        self.folder = folder
        self.profiles = profiles
        self.port = _free_port()
        self.issuer = f"http://127.0.0.1:{self.port}/o"
        self.process: subprocess.Popen | None = None

    @property
    def env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        env.update(
            DJANGO_SETTINGS_MODULE="tests.oidc_provider.settings",
            OIDC_PROVIDER_DB=str(self.folder / "provider.sqlite3"),
            OIDC_PROVIDER_KEY=str(self.folder / "key.pem"),
            OIDC_PROVIDER_PROFILES=str(self.folder / "profiles.json"),
        )
        return env

    def save(self) -> None:
        (self.folder / "profiles.json").write_text(json.dumps(self.profiles))

    def start(self) -> Provider:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        (self.folder / "key.pem").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        self.save()
        run = {"cwd": ROOT, "env": self.env, "check": True, "capture_output": True}
        subprocess.run([sys.executable, "-m", "django", "migrate", "-v0"], **run)  # noqa: S603
        subprocess.run([sys.executable, "-m", "tests.oidc_provider.setup"], **run)  # noqa: S603
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--threads",
                "4",
                "--log-level",
                "warning",
                "tests.oidc_provider.wsgi",
            ],
            cwd=ROOT,
            env=self.env,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                found = requests.get(self.issuer + "/.well-known/openid-configuration", timeout=1)
                if found.status_code == 200:
                    return self
            except requests.RequestException:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("the test OpenID provider did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
