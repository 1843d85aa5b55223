"""Checks on a CLI result (tests/conftest.py's `cli` fixture) shared by the test modules."""


def ok(result) -> str:
    """The command succeeded; its standard output."""
    assert result.code == 0, (result.code, result.out, result.err)
    return result.out


def refused(result, *words: str) -> str:
    """Exit 2 with exactly one `error: ` line, which names each of `words`."""
    assert result.code == 2, (result.code, result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.err
    for w in words:
        assert w in lines[0], (w, lines[0])
    return lines[0]
