"""`patient add` / `patient list`: the walking skeleton's contract."""


def test_add_prints_new_ids_and_list_shows_them(cli):
    first = cli("patient", "add", "--name", "Anna Example", "--born", "1990-04-02", "--ms-type", "rrms")
    second = cli("patient", "add", "--name", "Ben Beispiel")
    assert (first.code, first.out.strip()) == (0, "1")
    assert (second.code, second.out.strip()) == (0, "2")
    listing = cli("patient", "list", "--json")
    assert listing.code == 0
    assert listing.json() == [
        {"id": 1, "name": "Anna Example", "phase": None, "day": None},
        {"id": 2, "name": "Ben Beispiel", "phase": None, "day": None},
    ]


def test_bad_input_is_one_error_line_exit_2_and_changes_nothing(cli):
    cli("patient", "add", "--name", "Anna")
    for args in (["patient", "add", "--name", "  "], ["patient", "add", "--name", "X", "--born", "1990-02-30"],
                 ["patient", "add", "--name", "X", "--ms-type", "abc"], ["patient", "frobnicate"],
                 ["patient", "add", "--name", "X", "--born", "2030-01-01"]):
        result = cli(*args)
        assert result.code == 2, args
        lines = result.err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), result.err
    assert [p["name"] for p in cli("patient", "list", "--json").json()] == ["Anna"]
