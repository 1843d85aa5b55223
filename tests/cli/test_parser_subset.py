"""A command line is parsed by that command's grammar alone (the others are not built): it must read every
line exactly as the whole parser does, and refuse the same lines with the same words."""

from __future__ import annotations

import pytest

from mstracker.cli import COMMANDS, _Refused, build_parser, command_word

LINES = [
    [], ["gui"], ["gui", "--smoke"], ["--db", "x.sqlite3", "gui", "--smoke"], ["--role", "caregiver", "gui"],
    ["--db=x.sqlite3", "--role=coordinator", "gui"], ["patient", "add", "--name", "Ann", "--ms-type", "rrms"],
    ["patient", "list", "--json"], ["journey", "start", "1", "--protocol", "cy-atg", "--on", "2027-01-02"],
    ["journey", "advance", "1", "conditioning", "--on", "2027-01-20", "--reason", "on plan"],
    ["journey", "undo", "1", "--reason", "typo"], ["status", "1", "--json"],
    ["log", "1", "temperature", "--at", "2027-01-02T08:00", "celsius=37.2"], ["amend", "5", "celsius=37.1"],
    ["retract", "5", "--reason", "wrong patient"], ["history", "1", "--kind", "lab"],
    ["schedule", "1", "--from", "2027-01-01", "--to", "2027-02-01"], ["reminder", "snooze", "3", "--until", "tomorrow"],
    ["export", "--all", "--format", "csv", "--out", "dir"], ["import", "a.json"], ["backup", "--out", "b"],
    ["restore", "b"], ["audit", "--json"], ["db", "check"], ["protocol", "list", "--json"], ["demo", "--on", "2027-01-01"],
]

REFUSED = [
    ["--role", "doctor", "gui"], ["patient", "add"], ["status", "one"], ["export", "1"],
    ["reminder", "done"], ["journey", "start", "-1", "--protocol", "p", "--on", "2027-01-01"],
]


def _read(parser, line):
    try:
        return parser.parse_known_args(line)
    except _Refused as exc:
        return f"refused: {exc}"


@pytest.mark.parametrize("line", LINES + REFUSED, ids=lambda line: " ".join(line) or "(none)")
def test_one_commands_grammar_reads_a_line_as_the_whole_parser_does(line):
    only = command_word(line)
    assert only in COMMANDS
    assert _read(build_parser(only), line) == _read(build_parser(), line)


def test_refused_lines_are_refused_by_the_single_grammar_too():
    for line in REFUSED:
        assert str(_read(build_parser(command_word(line)), line)).startswith("refused: ")


def test_lines_only_the_whole_parser_can_read():
    assert command_word(["--help"]) is None
    assert command_word(["--db", "x", "-h"]) is None
    assert command_word(["frobnicate"]) == "frobnicate"  # not a command: main() then uses the whole parser
    assert command_word(["--db"]) == "gui"


def test_the_command_list_is_the_parsers():
    choices = next(a for a in build_parser()._actions if a.dest == "command").choices
    assert tuple(choices) == COMMANDS


def test_unknown_words_commands_and_help_still_answer(cli, capsys):
    result = cli("gui", "--bogus")
    assert result.code == 2 and "unrecognized arguments: --bogus" in result.err
    result = cli("frobnicate")
    assert result.code == 2 and "invalid choice: 'frobnicate'" in result.err
    from mstracker.cli import main

    with pytest.raises(SystemExit) as done:
        main(["--help"])
    out = capsys.readouterr().out
    assert done.value.code == 0 and "schedule" in out and "protocol" in out
