"""Secrets kept encrypted at rest (IMAP passwords, identity providers' client secrets).

Fernet under keys derived from a setting that may hold several secrets, comma-separated: the
first encrypts, each decrypts (rotation). Each secret becomes a key by HKDF-SHA256 (no salt,
an ``info`` naming what it protects, 32 bytes), so one secret never serves two purposes.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = ["InvalidToken", "decrypt_text", "encrypt_text", "fernet_for"]


def fernet_for(secrets: str, *, info: bytes) -> MultiFernet:
    keys = []
    for secret in (s.strip() for s in secrets.split(",")):
        if secret:
            derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(
                secret.encode()
            )
            keys.append(Fernet(base64.urlsafe_b64encode(derived)))
    return MultiFernet(keys)


def encrypt_text(value: str, *, secrets: str, info: bytes) -> str:
    return fernet_for(secrets, info=info).encrypt(value.encode()).decode()


def decrypt_text(token: str, *, secrets: str, info: bytes) -> str:
    """Raises ``InvalidToken`` when no key of ``secrets`` opens it."""
    return fernet_for(secrets, info=info).decrypt(token.encode()).decode()
