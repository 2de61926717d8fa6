"""Hostile command-line input: any text in any option gets 0, 1 or 2 and a message, never a traceback,
and a refused command changes nothing."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dtbd_desktop.cli.main import main

texts = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["", " ", "TC", "SC", "2025-01-01", "2025-02-30", "31/12/2025", "0", "-1", "9" * 400,
                     "'; DROP TABLE classes; --", "=SUM(A1:A9)", "Nguye\u0302\u0303n", "\x00", "A" * 5000]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(code=texts, programme=texts, start=texts, end=texts, name=texts)
def test_class_create_never_crashes(capsys: pytest.CaptureFixture[str], sqlite_url: str, code: str,
                                    programme: str, start: str, end: str, name: str) -> None:
    argv = ["--db", sqlite_url, "class", "create", "--code", code, "--programme", programme, "--start", start,
            "--end", end, "--name", name, "--json"]
    if any("\x00" in a for a in argv):
        return  # the operating system cannot pass NUL in arguments
    capsys.readouterr()
    main(["--db", sqlite_url, "class", "list", "--json"])
    before = len(json.loads(capsys.readouterr().out))
    exit_code = main(argv)
    out, err = capsys.readouterr()
    assert exit_code in (0, 1, 2)
    assert "Traceback" not in out + err
    doc = json.loads(out)
    assert ("error" in doc) == (exit_code != 0)
    main(["--db", sqlite_url, "class", "list", "--json"])
    after = len(json.loads(capsys.readouterr().out))
    assert after == before + (1 if exit_code == 0 else 0)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(texts, max_size=6))
def test_any_argument_list_is_handled(capsys: pytest.CaptureFixture[str], sqlite_url: str, words: list[str]) -> None:
    if any("\x00" in w for w in words):
        return
    exit_code = main(["--db", sqlite_url, *words, "--json"])
    out, err = capsys.readouterr()
    assert exit_code in (0, 1, 2)
    assert "Traceback" not in out + err
