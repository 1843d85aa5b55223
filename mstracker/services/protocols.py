"""The protocols a journey can start with: shipped in resources/protocols, or a centre's own in the data folder."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from ..domain.errors import ReadOnlyError, UserError
from ..domain.limits import PROTOCOL_MAX_BYTES
from ..domain.protocol import Protocol, ProtocolError, find_line, load_protocol
from ..storage.bounded import read_regular
from ..storage.private import write_private
from .places import data_dir, data_subdir
from .roles import Role


def _shipped_dir() -> Path:
    installed = Path(str(resources.files("mstracker"))) / "resources" / "protocols"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "resources" / "protocols"  # a source checkout


def user_dir() -> Path:
    return data_dir() / "protocols"


def protocol_files() -> dict[str, Path]:
    """name → file; a centre's own file of the same name wins over the shipped one."""
    files: dict[str, Path] = {}
    for folder in (_shipped_dir(), user_dir()):
        if folder.is_dir():
            for path in sorted(folder.glob("*.toml")):
                files[path.stem] = path
    return files


def read_text(path: Path) -> str:
    """A protocol file's text: a regular file of at most PROTOCOL_MAX_BYTES, in UTF-8 (a FIFO or a device is
    refused before a byte is read)."""
    raw = read_regular(path, PROTOCOL_MAX_BYTES, "a protocol file (.toml)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UserError(f"cannot read {path}: it is not UTF-8 text") from None


def read_protocol(name: str) -> tuple[Protocol, str]:
    files = protocol_files()
    path = files.get(name)
    if path is None:
        raise UserError(f"unknown protocol {name!r}; available: {', '.join(sorted(files)) or 'none'}")
    text = read_text(path)
    return load_protocol(text, str(path)), text


@dataclass(frozen=True)
class Listed:
    """One file of the protocols folders: its protocol, or why it cannot be used."""

    name: str
    protocol: Protocol | None
    problem: str | None = None


def protocol_listing() -> list[Listed]:
    """Every protocol file by name; an invalid one is listed with why, and never hides the others."""
    result = []
    for name in sorted(protocol_files()):
        try:
            result.append(Listed(name, read_protocol(name)[0]))
        except UserError as exc:
            result.append(Listed(name, None, str(exc)))
    return result


def list_protocols() -> list[Protocol]:
    """The protocols a journey can start with (invalid files left out: `protocol_listing` names them)."""
    return [x.protocol for x in protocol_listing() if x.protocol is not None]


class WouldReplace(UserError):
    """Installing would replace a protocol of the same name: the user is asked (or gives --replace)."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"a protocol named {name!r} is already installed; give --replace to replace it "
                         "(the replaced file is kept in the backups folder)")


def install_protocol(source: Path, *, role: str, replace: bool = False) -> Protocol:
    """Validate a centre's protocol file and copy it into the data folder, where `protocol list` finds it.
    A protocol of the same name (shipped or the centre's) is replaced only with `replace`, and kept in the
    backups folder first."""
    if Role(role).read_only:
        raise ReadOnlyError("read-only: a caregiver cannot install a protocol; ask the patient or coordinator")
    text = read_text(Path(source))
    protocol = load_protocol(text, str(source))
    existing = protocol_files().get(protocol.name)
    if existing is not None:
        if not replace:
            raise WouldReplace(protocol.name)
        _keep_replaced(existing, protocol.name)
    _write_protocol(data_subdir("protocols") / f"{protocol.name}.toml", text)
    return protocol


def _keep_replaced(path: Path, name: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    out = data_subdir("backups") / f"protocol-{name}-{stamp}.toml"
    _write_protocol(out, read_text(path))
    return out


def _write_protocol(target: Path, text: str) -> None:
    """Through a temporary file and a rename: never a half-written protocol file (its folder exists)."""
    try:
        write_private(target, text.encode("utf-8"))
    except OSError as exc:
        raise UserError(f"cannot save {target}: {exc.strerror}") from None


def save_protocol_text(name: str, text: str) -> Protocol:
    """Validate an edited protocol and save it as the centre's own `name` (its `name` key must say the same)."""
    source = f"{name}.toml"
    protocol = load_protocol(text, source)
    if protocol.name != name:
        raise ProtocolError(source, "name", f"is {protocol.name!r} but the protocol is saved as {name!r}; "
                            "make them the same", find_line(text, ("name",)))
    _write_protocol(data_subdir("protocols") / source, text)
    return protocol
