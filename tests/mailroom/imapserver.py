"""A real IMAP server for tests: Debian's dovecot, thrown away after each test.

``imap_server`` starts ``/usr/sbin/dovecot`` in the foreground with a config file of its own in
a temporary directory: passwd-file users, maildirs under the same directory, a plain listener
and an IMAPS one (a self-signed certificate for 127.0.0.1 made here), every service running as
the current user; under root (CI) the login processes and the mail user are unprivileged
system users (dovecot refuses root for them). Messages are put in a box with IMAP APPEND, as
any client would.
"""

from __future__ import annotations

import datetime
import getpass
import grp
import imaplib
import ipaddress
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

DOVECOT = "/usr/sbin/dovecot"
DOVEADM = "/usr/bin/doveadm"

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {login_user}
mail_location = maildir:{root}/mail/%u
disable_plaintext_auth = no
auth_mechanisms = plain login
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
{extra}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_certificate(directory: Path) -> Path:
    """A self-signed certificate for 127.0.0.1 (cert.pem, key.pem); returns the cert's path."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    (directory / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (directory / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return directory / "cert.pem"


@dataclass
class IMAPServer:
    root: Path
    port: int
    tls_port: int
    ca_file: Path
    process: subprocess.Popen

    def add_user(self, username: str, password: str) -> None:
        with (self.root / "passwd").open("a") as passwd:
            passwd.write(f"{username}:{password}\n")

    def client(self, username: str, password: str) -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        client.login(username, password)
        return client

    def append(self, username: str, password: str, raw: bytes, folder: str = "INBOX") -> None:
        """Put one message in a box through the protocol (APPEND), as a mail client does."""
        client = self.client(username, password)
        try:
            typ, data = client.append(folder, None, None, raw)
            assert typ == "OK", data
        finally:
            client.logout()

    def count(self, username: str, password: str, folder: str = "INBOX", query="ALL") -> int:
        client = self.client(username, password)
        try:
            typ, _data = client.select(f'"{folder}"', readonly=True)
            if typ != "OK":
                return 0
            _typ, data = client.uid("SEARCH", query)
            return len(data[0].split())
        finally:
            client.logout()

    def kick(self, username: str) -> None:
        """Cut the user's open IMAP sessions, from the server's side (doveadm kick)."""
        subprocess.run(  # noqa: S603 (a fixed binary and our own config file)
            [DOVEADM, "-c", str(self.root / "dovecot.conf"), "kick", username],
            check=True,
            capture_output=True,
            timeout=10,
        )

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


def _unprivileged(*names: str) -> pwd.struct_passwd:
    """The current user, or under root (CI) the first of ``names`` that exists: dovecot runs
    neither its login processes nor a mail user's as root."""
    if os.getuid() != 0:
        return pwd.getpwuid(os.getuid())
    for name in names:
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError(f"none of these users exists: {names}")


def start_imap_server(root: Path, *, extra: str = "") -> IMAPServer:
    """A dovecot serving ``root`` on two free ports; ``extra`` lines go into its config."""
    if not os.access(DOVECOT, os.X_OK):
        pytest.skip("needs dovecot (apt-get install dovecot-imapd)")
    login_user = _unprivileged("dovenull", "nobody")
    mail_user = _unprivileged("nobody", "dovenull")
    root.chmod(0o755)  # the unprivileged users must reach their parts
    for sub in ("run", "state", "mail", "home"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    for sub in ("mail", "home"):
        os.chown(root / sub, mail_user.pw_uid, mail_user.pw_gid)
    ca_file = make_certificate(root)
    (root / "passwd").touch()
    port, tls_port = free_port(), free_port()
    config = root / "dovecot.conf"
    config.write_text(
        CONFIG.format(
            root=root,
            user=getpass.getuser(),
            login_user=login_user.pw_name,
            group=grp.getgrgid(os.getgid()).gr_name,
            uid=mail_user.pw_uid,
            gid=mail_user.pw_gid,
            port=port,
            tls_port=tls_port,
            extra=extra,
        )
    )
    process = subprocess.Popen(  # noqa: S603 (a fixed binary and our own config file)
        [DOVECOT, "-F", "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    server = IMAPServer(root, port, tls_port, ca_file, process)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
            raise RuntimeError(f"dovecot exited: {process.stderr.read().decode()} {log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                pass
            with socket.create_connection(("127.0.0.1", tls_port), timeout=1):
                return server
        except OSError:
            time.sleep(0.05)
    server.stop()
    raise RuntimeError("dovecot did not listen within 15 s")


@contextmanager
def running_imap_server(*, extra: str = "") -> Iterator[IMAPServer]:
    # A short path: dovecot's unix sockets live under base_dir (sun_path is 108 bytes).
    root = Path(tempfile.mkdtemp(prefix="dovecot-"))
    server = start_imap_server(root, extra=extra)
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def imap_server():
    with running_imap_server() as server:
        yield server
