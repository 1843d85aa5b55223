"""The plain CalDAV protocol the publication needs, over the `caldav` library's HTTP client.

Servers differ ("dialects"), so this keeps to what every CalDAV server does: PROPFIND of the calendar,
MKCALENDAR, one PUT per object with If-Match / If-None-Match, GET, DELETE. TLS certificates are verified;
`http://` is accepted only to a loopback address. The password lives in this object only; no message, log
line or exception text carries it.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from ..domain.errors import UserError

TIMEOUT_SECONDS = 20
_DAV, _CAL = "{DAV:}", "{urn:ietf:params:xml:ns:caldav}"
_PROPFIND = ('<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/>'
             '</d:prop></d:propfind>')
_MKCALENDAR = ('<?xml version="1.0" encoding="utf-8"?><c:mkcalendar xmlns:d="DAV:" '
               'xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop><d:displayname>{name}</d:displayname>'
               '<c:supported-calendar-component-set><c:comp name="VEVENT"/></c:supported-calendar-component-set>'
               '</d:prop></d:set></c:mkcalendar>')

# The library logs whole requests at debug level: keep them out of the app's log whatever its level.
logging.getLogger("caldav").setLevel(logging.WARNING)


class Unreachable(UserError):
    """The server could not be reached (down, no network, a timeout): changes wait for the next sync."""


class Refused(UserError):
    """The server refused the user name or password."""


def check_url(url: str) -> str:
    """The calendar's address, with a trailing slash; refused unless https (or http to this computer)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UserError(f"{_shown(url)} is not a web address; give the calendar's https:// address, "
                        "e.g. https://dav.example.org/anna/ahsct/")
    if parts.username is not None or parts.password is not None:
        raise UserError("give the user name with --user and the password from MSTRACKER_CALDAV_PASSWORD or the "
                        "prompt, not inside the address")
    if parts.scheme == "http" and not _loopback(parts.hostname):
        raise UserError(f"http:// sends the password and the schedule unencrypted: use https://{parts.netloc}"
                        f"{parts.path} (http:// is accepted only to this computer)")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


def _shown(url: str) -> str:
    # An address echoed in a message never carries a password written into it.
    parts = urlsplit(url)
    if parts.password is None:
        return repr(url)
    return repr(url.replace(parts.password, "***"))


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        if host.lower() != "localhost":
            return False
        try:
            return all(ipaddress.ip_address(info[4][0]).is_loopback for info in socket.getaddrinfo(host, None))
        except OSError:
            return False


def object_href(calendar_url: str, uid: str) -> str:
    return calendar_url + quote(uid, safe="") + ".ics"


@dataclass(frozen=True)
class Answer:
    status: int
    etag: str | None = None
    body: bytes = b""


class CalendarClient:
    def __init__(self, url: str, user: str, password: str) -> None:
        import caldav

        self.url = check_url(url)
        self.user = user
        self._client = caldav.DAVClient(url=self.url, username=user, password=password, timeout=TIMEOUT_SECONDS,
                                        ssl_verify_cert=True, enable_rfc6764=False)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> CalendarClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- requests ---------------------------------------------------------------------------------
    def _request(self, url: str, method: str, body: str | bytes = "", headers: dict | None = None) -> Answer:
        from caldav.lib import error as dav_error

        try:
            r = self._client.request(url, method, body, headers or {})
        except dav_error.AuthorizationError:
            raise Refused(f"the server at {self._where()} refused user {self.user!r}: wrong user name or password "
                          "(the password comes from MSTRACKER_CALDAV_PASSWORD, the system keyring or the prompt)") \
                from None
        except Exception as exc:  # the HTTP library's own errors: no network, refused, timed out, TLS
            raise _transport_error(exc, self._where()) from None
        raw = r._raw if isinstance(r._raw, bytes) else str(r._raw or "").encode()
        return Answer(r.status, r.headers.get("ETag"), raw)

    def _where(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"

    def calendar_state(self) -> str:
        """'calendar', 'missing', or 'other' (a collection or page that is not a calendar)."""
        answer = self._request(self.url, "PROPFIND", _PROPFIND, {"Depth": "0", "Content-Type": "application/xml"})
        if answer.status == 404:
            return "missing"
        if answer.status != 207:
            raise UserError(f"{self.url} is not a CalDAV calendar address (the server answered {answer.status} "
                            "to a CalDAV request); check the address with the server's instructions")
        try:
            tree = ET.fromstring(answer.body)
        except ET.ParseError:
            raise UserError(f"{self.url} is not a CalDAV server (its answer is not WebDAV)") from None
        return "calendar" if tree.find(f".//{_DAV}resourcetype/{_CAL}calendar") is not None else "other"

    def ensure_calendar(self, name: str) -> bool:
        """The calendar collection at the URL, created if missing. True when it was created."""
        state = self.calendar_state()
        if state == "calendar":
            return False
        if state == "other":
            raise UserError(f"{self.url} exists but is not a calendar (a folder or a page); give the address of a "
                            f"new calendar below it, e.g. {self.url}ahsct/")
        body = _MKCALENDAR.format(name=_xml_text(name))
        answer = self._request(self.url, "MKCALENDAR", body, {"Content-Type": "application/xml"})
        if answer.status not in (200, 201):
            raise UserError(f"the server at {self._where()} did not create the calendar {self.url} "
                            f"(it answered {answer.status}); create it in the server's web page and publish again")
        return True

    def put(self, href: str, body: bytes, etag: str | None) -> Answer:
        headers = {"Content-Type": "text/calendar; charset=utf-8"}
        headers.update({"If-Match": etag} if etag else {"If-None-Match": "*"})
        return self._request(href, "PUT", body, headers)

    def get(self, href: str) -> Answer:
        return self._request(href, "GET")

    def delete(self, href: str, etag: str | None) -> Answer:
        return self._request(href, "DELETE", "", {"If-Match": etag} if etag else {})


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _transport_error(exc: Exception, where: str) -> UserError:
    text = f"{type(exc).__name__}: {exc}".lower()
    if "certificate" in text or "ssl" in text:
        return UserError(f"the certificate of {where} could not be verified; nothing was sent (a self-signed "
                         "certificate must be trusted by this computer first)")
    if "timeout" in text or "timed out" in text:
        return Unreachable(f"the server at {where} did not answer in time; the changes wait for the next sync")
    return Unreachable(f"the server at {where} could not be reached; the changes wait for the next sync")
