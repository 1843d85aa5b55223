"""save_protocol_text: an edited copy is validated, saved as the centre's own and listed."""

from __future__ import annotations

import pytest

from mstracker.domain.protocol import ProtocolError
from mstracker.services import protocols


def _copy(name: str) -> str:
    _, text = protocols.read_protocol("cy-atg")
    return text.replace('name = "cy-atg"', f'name = "{name}"', 1)


def test_a_valid_copy_is_saved_and_listed(cli):
    saved = protocols.save_protocol_text("cy-atg-leeds", _copy("cy-atg-leeds").replace("stay_days = [10, 35]",
                                                                                        "stay_days = [12, 40]"))
    assert saved.stay_days == (12, 40)
    assert (protocols.user_dir() / "cy-atg-leeds.toml").is_file()
    assert "cy-atg-leeds\t" in cli("protocol", "list").out
    assert not list(protocols.user_dir().glob("*.partial"))


def test_an_invalid_copy_names_line_and_key_and_writes_nothing(cli):
    text = _copy("bad").replace("admission_day = -6", "admission_day = 4")
    with pytest.raises(ProtocolError) as caught:
        protocols.save_protocol_text("bad", text)
    line = next(n for n, t in enumerate(text.splitlines(), 1) if t.startswith("admission_day"))
    assert (caught.value.line, caught.value.key) == (line, "admission_day")
    assert not (protocols.user_dir() / "bad.toml").exists()
    assert "bad\t" not in cli("protocol", "list").out


def test_the_name_inside_must_match_the_name_saved(cli):
    with pytest.raises(ProtocolError) as caught:
        protocols.save_protocol_text("other", _copy("cy-atg-x"))
    assert caught.value.key == "name" and caught.value.line is not None
    assert not (protocols.user_dir() / "other.toml").exists()
