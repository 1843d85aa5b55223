"""The protocols a journey can start with: shipped in resources/protocols, or a centre's own in the data folder."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ..domain.errors import UserError
from ..domain.protocol import Protocol, ProtocolError, find_line, load_protocol
from .places import data_dir


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


def read_protocol(name: str) -> tuple[Protocol, str]:
    files = protocol_files()
    path = files.get(name)
    if path is None:
        raise UserError(f"unknown protocol {name!r}; available: {', '.join(sorted(files)) or 'none'}")
    text = path.read_text(encoding="utf-8")
    return load_protocol(text, str(path)), text


def list_protocols() -> list[Protocol]:
    result = []
    for name in sorted(protocol_files()):
        result.append(read_protocol(name)[0])
    return result


def install_protocol(source: Path) -> Protocol:
    """Validate a centre's protocol file and copy it into the data folder, where `protocol list` finds it."""
    try:
        text = Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read {source}: {exc}") from None
    protocol = load_protocol(text, str(source))
    folder = user_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{protocol.name}.toml").write_text(text, encoding="utf-8")
    return protocol


def save_protocol_text(name: str, text: str) -> Protocol:
    """Validate an edited protocol and save it as the centre's own `name` (its `name` key must say the same)."""
    source = f"{name}.toml"
    protocol = load_protocol(text, source)
    if protocol.name != name:
        raise ProtocolError(source, "name", f"is {protocol.name!r} but the protocol is saved as {name!r}; "
                            "make them the same", find_line(text, ("name",)))
    folder = user_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / source
    tmp = target.with_name(target.name + ".partial")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)  # never a half-written protocol file
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(f"cannot save {target}: {exc.strerror}") from None
    return protocol
