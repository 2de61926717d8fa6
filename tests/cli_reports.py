"""The `dtbd` entry point, for the tests of the report commands."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest


def cli_main(monkeypatch: pytest.MonkeyPatch) -> Callable[[Sequence[str]], int]:
    from dtbd_desktop.cli import main as cli

    del monkeypatch  # kept in the signature the tests call
    return cli.main
