"""Issue 19, findings 4 and 8: a caregiver installs no protocol, a shipped one is never replaced silently, and
protocol files have stated limits that are checked on load; one bad file does not hide the others."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mstracker.domain.errors import UserError
from mstracker.domain.limits import PROTOCOL_MAX_ITEMS, REMINDERS_MAX, TITLE_MAX
from mstracker.domain.protocol import load_protocol
from mstracker.services import protocols
from tests.cli.conftest import assert_refused, ok

SHIPPED = Path(__file__).parents[2] / "resources" / "protocols" / "cy-atg.toml"
HEAD = SHIPPED.read_text(encoding="utf-8").split("[[plan]]")[0]


def _file(tmp_path, text, name="evil.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _reminders(cli, pid):
    return len(cli("schedule", pid, "--json").json())


def _user_dir():
    return protocols.user_dir()


# ---- finding 4 ------------------------------------------------------------------------------------
def test_a_caregiver_installs_no_protocol(cli, tmp_path):
    evil = _file(tmp_path, HEAD.replace('title = "', 'title = "Evil '))
    assert_refused(cli("protocol", "import", evil, role="caregiver"), "read-only")
    assert not _user_dir().exists() or not list(_user_dir().iterdir())


def test_a_shipped_protocol_is_replaced_only_with_replace_and_kept(cli, tmp_path):
    pid = ok(cli("patient", "add", "--name", "Anna")).strip()
    evil = _file(tmp_path, HEAD)  # cy-atg without its follow-up plan
    assert_refused(cli("protocol", "import", evil), "--replace")
    assert not (_user_dir() / "cy-atg.toml").exists()
    ok(cli("journey", "start", pid, "--protocol", "cy-atg", "--on", "2027-03-01"))
    ok(cli("journey", "plan", pid, "transplant", "--on", "2027-06-01"))
    assert _reminders(cli, pid) == 50

    assert ok(cli("protocol", "import", evil, "--replace")).strip() == "cy-atg"
    kept = list((protocols.data_dir() / "backups").glob("protocol-cy-atg-*.toml"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == SHIPPED.read_text(encoding="utf-8")
    # and again: the centre's own file is kept too before it is replaced
    assert_refused(cli("protocol", "import", evil), "already installed")
    ok(cli("protocol", "import", evil, "--replace"))
    assert len(list((protocols.data_dir() / "backups").glob("protocol-cy-atg-*.toml"))) == 2


def test_the_dialog_asks_before_replacing(cli, qtbot, tmp_path, monkeypatch):
    from mstracker.ui.core.runner import ChangeBus
    from mstracker.ui.dialogs.protocols import ProtocolsDialog

    dialog = ProtocolsDialog("coordinator", ChangeBus())
    qtbot.addWidget(dialog)
    asked = []
    monkeypatch.setattr(dialog, "confirm_replace", lambda name: asked.append(name) or False)
    evil = _file(tmp_path, HEAD)
    dialog.import_file(evil)  # off the UI thread; the question comes back to it
    qtbot.waitUntil(lambda: dialog.bus.running == 0, timeout=10_000)
    assert asked == ["cy-atg"] and not (_user_dir() / "cy-atg.toml").exists()
    assert "was kept as it is" in dialog.message.text()
    monkeypatch.setattr(dialog, "confirm_replace", lambda name: True)
    with qtbot.waitSignal(dialog.protocols_changed, timeout=10_000):
        dialog.import_file(evil)
    assert (_user_dir() / "cy-atg.toml").read_text(encoding="utf-8") == HEAD


# ---- finding 8 ------------------------------------------------------------------------------------
def _series(n, every_days=1):
    return "".join(f'\n[[plan]]\nid = "s{i}"\ntitle = "series {i}"\nkind = "custom"\nanchor = "day0"\n'
                   f'every_days = {every_days}\nfirst = -7300\nlast = 7300\n' for i in range(n))


@pytest.mark.parametrize(("text", "words"), [
    (HEAD + _series(200), "at most"),
    (HEAD + _series(2), f"at most {REMINDERS_MAX}"),
    (HEAD + '\n[[plan]]\nid = "x"\ntitle = "' + "{k}" * 3000 + '"\nkind = "custom"\nanchor = "day0"\ndays = [1]\n',
     f"{TITLE_MAX}"),
    (HEAD + '\n[[plan]]\nid = "x"\ntitle = "' + "t" * 100_000 + '"\nkind = "custom"\nanchor = "day0"\ndays = [1]\n',
     f"longer than {TITLE_MAX}"),
    (HEAD + "#" * 300_000, "KB"),
    (HEAD + '\n[[plan]]\nid = "x"\ntitle = "' + "t" * 301 + '"\nkind = "custom"\nanchor = "day0"\ndays = [1]\n',
     f"longer than {TITLE_MAX}"),
    (HEAD + "".join(f'\n[[plan]]\nid = "i{i}"\ntitle = "t"\nkind = "custom"\nanchor = "day0"\ndays = [1]\n'
                    for i in range(PROTOCOL_MAX_ITEMS + 1)), f"at most {PROTOCOL_MAX_ITEMS}"),
    ("x = " + "[" * 50_000 + "]" * 50_000, "nested"),
    (HEAD.replace('name = "cy-atg"', 'name = "' + "a" * 5000 + '"'), "longer than 64"),
    (HEAD.replace('title = "', 'title = "\\u001b[31m'), "control character"),
])
def test_protocol_limits_are_refused_on_load(cli, tmp_path, text, words):
    path = _file(tmp_path, text)
    line = assert_refused(cli("protocol", "import", path))
    assert words in line
    with pytest.raises(UserError):
        load_protocol(text, "x.toml")


def test_a_100000_item_protocol_is_refused_quickly(tmp_path):
    import time

    text = HEAD + "".join(f'\n[[plan]]\nid = "i{i}"\ntitle = "t"\nkind = "custom"\nanchor = "day0"\ndays = [1]\n'
                          for i in range(20_000))
    started = time.monotonic()
    with pytest.raises(UserError):
        load_protocol(text, "x.toml")
    assert time.monotonic() - started < 2


def test_a_planned_discharge_years_away_does_not_run_for_minutes(cli, tmp_path):
    """A series bounded by discharge: the stated stay keeps it within the cap; anchors planned decades apart
    are refused at the command, not computed for minutes."""
    series = ('\n[[plan]]\nid = "daily"\ntitle = "daily"\nkind = "custom"\nanchor = "day0"\nevery_days = 1\n'
              'first = 0\nuntil = { anchor = "discharge", days = 0 }\n')
    path = _file(tmp_path, HEAD.replace('name = "cy-atg"', 'name = "daily"') + series * 1)
    ok(cli("protocol", "import", path))
    pid = ok(cli("patient", "add", "--name", "Anna")).strip()
    ok(cli("journey", "start", pid, "--protocol", "daily", "--on", "2027-03-01"))
    ok(cli("journey", "plan", pid, "transplant", "--on", "2027-06-01"))
    ok(cli("journey", "plan", pid, "immune_rebuild", "--on", "2027-06-20"))
    assert _reminders(cli, pid) == 20
    assert_refused(cli("journey", "plan", pid, "immune_rebuild", "--on", "2199-06-20"), "reminders")
    assert _reminders(cli, pid) == 20


def test_one_bad_file_does_not_break_the_list(cli, tmp_path):
    folder = _user_dir()
    folder.mkdir(parents=True)
    (folder / "broken.toml").write_text("name = [", encoding="utf-8")
    os.mkfifo(folder / "fifo.toml")
    out = ok(cli("protocol", "list"))
    assert "cy-atg\t" in out and "beam-atg\t" in out
    assert "broken\tinvalid: " in out and "fifo\tinvalid: " in out
    listed = {x["name"]: x for x in cli("protocol", "list", "--json").json()}
    assert listed["cy-atg"]["title"] and "invalid" in listed["broken"]
    assert "broken" not in [p.name for p in protocols.list_protocols()]


def test_protocol_import_writes_through_a_temporary_file(cli, tmp_path, monkeypatch):
    """A failure while writing leaves no half-written protocol file."""
    text = HEAD.replace('name = "cy-atg"', 'name = "leeds"')

    def failing_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("mstracker.storage.private.os.replace", failing_replace)
    assert_refused(cli("protocol", "import", _file(tmp_path, text)), "cannot save")
    assert list(_user_dir().iterdir()) == []
