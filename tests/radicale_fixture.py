"""A real Radicale CalDAV server for the caregiver's-calendar tests, and a second client to read it back.

Each test gets its own server (`python -m radicale`, the PyPI package the test extras install) on a
loopback port, with htpasswd users and its own storage folder; it can be stopped and started again on
the same port and folder, as a family's server goes down and comes back. No skip: without Radicale the
tests fail and say how to install it.

The reader (`read_calendar`) is not the client that wrote: raw REPORT calendar-query requests with the
standard library, parsed with icalendar.
"""

from __future__ import annotations

import base64
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from icalendar import Calendar

USERS = {"alice": "alice-Secret-123", "bob": "bob-Secret-456"}
MISSING = "Radicale is not installed: `pip install '.[test]'` installs it (the CalDAV tests always run)"
_REPORT = ('<?xml version="1.0" encoding="utf-8"?><c:calendar-query xmlns:d="DAV:" '
           'xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/></d:prop>'
           '<c:filter><c:comp-filter name="VCALENDAR"/></c:filter></c:calendar-query>')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Radicale:
    def __init__(self, root: Path) -> None:
        try:
            import radicale  # noqa: F401
        except ImportError:
            pytest.fail(MISSING, pytrace=False)
        self.root = root
        self.store = root / "collections"
        self.users = root / "users"
        self.users.write_text("".join(f"{u}:{p}\n" for u, p in USERS.items()))
        self.port = _free_port()
        self.log = root / "radicale.log"
        self.proc: subprocess.Popen | None = None
        self.tls: tuple[Path, Path] | None = None  # (certificate, key): serve https instead

    @property
    def base(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return f"{self.base}/{path.strip('/')}/"

    def start(self) -> None:
        cmd = [sys.executable, "-m", "radicale", "--config", "", "--storage-filesystem-folder", str(self.store),
               "--server-hosts", f"127.0.0.1:{self.port}", "--auth-type", "htpasswd",
               "--auth-htpasswd-filename", str(self.users), "--auth-htpasswd-encryption", "plain",
               "--auth-delay", "0", "--logging-level", "warning"]
        if self.tls:
            cmd += ["--server-ssl", "True", "--server-certificate", str(self.tls[0]), "--server-key", str(self.tls[1])]
        with open(self.log, "a") as log:
            self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"Radicale did not start:\n{self.log.read_text()}", pytrace=False)
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        pytest.fail(f"Radicale did not listen within 30 s:\n{self.log.read_text()}", pytrace=False)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    # ---- a second client: the standard library ------------------------------------------------------
    def request(self, method: str, url: str, body: bytes | str = b"", headers: dict | None = None,
                user: str = "alice") -> tuple[int, dict, bytes]:
        data = body.encode() if isinstance(body, str) else body
        req = urllib.request.Request(url, data=data or None, method=method, headers=headers or {})
        token = base64.b64encode(f"{user}:{USERS[user]}".encode()).decode()
        req.add_header("Authorization", f"Basic {token}")
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, dict(resp.headers), resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()


@dataclass(frozen=True)
class ServerObject:
    href: str
    etag: str
    calendar: Calendar

    @property
    def event(self):
        [ev] = self.calendar.walk("VEVENT")
        return ev


def read_calendar(server: Radicale, url: str, user: str = "alice") -> dict[str, ServerObject]:
    """UID → what the server holds, read with a REPORT calendar-query (a client other than mstracker's)."""
    status, _headers, body = server.request("REPORT", url, _REPORT, {"Depth": "1", "Content-Type": "application/xml"},
                                            user)
    assert status == 207, (status, body[:300])
    found: dict[str, ServerObject] = {}
    for response in ET.fromstring(body).iter("{DAV:}response"):
        href = response.findtext("{DAV:}href")
        data = response.findtext(".//{urn:ietf:params:xml:ns:caldav}calendar-data")
        if not data:
            continue
        cal = Calendar.from_ical(data)
        events = cal.walk("VEVENT")
        assert len(events) == 1, f"one event per object: {href} holds {len(events)}"
        uid = str(events[0]["UID"])
        assert uid not in found, f"UID {uid} twice on the server"
        found[uid] = ServerObject(href, response.findtext(".//{DAV:}getetag") or "", cal)
    return found


def _scratch() -> str | None:
    # Radicale fsyncs every write: on a memory file system (where there is one) a sync of a year of
    # reminders takes seconds, not minutes, on a busy machine. The server is the same either way.
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


@pytest.fixture
def radicale():
    server = Radicale(Path(tempfile.mkdtemp(prefix="mstracker-radicale-", dir=_scratch())))
    server.start()
    yield server
    server.stop()
    shutil.rmtree(server.root, ignore_errors=True)


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 that no one has signed: what a client that verifies must refuse."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@pytest.fixture
def radicale_tls():
    """Radicale over https with a self-signed certificate."""
    server = Radicale(Path(tempfile.mkdtemp(prefix="mstracker-radicale-", dir=_scratch())))
    server.tls = self_signed(server.root)
    server.start()
    yield server
    server.stop()
    shutil.rmtree(server.root, ignore_errors=True)
