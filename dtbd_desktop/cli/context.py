"""What every command shares: the exit codes, the parser that raises instead of exiting, and the
`Context` a command handler gets (arguments, the database, who is logged in, units of work)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn

from dtbd_desktop.base.i18n import tr

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from dtbd_desktop.db.engine import Database
    from dtbd_desktop.trust.accounts import Login

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so usage errors get our exit code and JSON."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


class Context:
    """What a command handler gets: parsed arguments, the database (opened on first use), who is
    logged in, units of work for them, and output."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.json: bool = args.json
        self._db: Database | None = None
        self._login: Login | None = None
        self._logged_in = False

    @property
    def db(self) -> Database:
        if self._db is None:
            from dtbd_desktop.services.startup import open_centre

            self._db = open_centre(self.args.db)
        return self._db

    @property
    def login(self) -> Login | None:
        """The account of `--user` (its password from DTBD_PASSWORD, or asked for at a terminal);
        None without `--user`: the operations then refuse anything but a database without accounts.
        The environment and the operating system's user name never stand in for an account."""
        if not self._logged_in:
            self._logged_in = True
            if self.args.user:
                self._login = self._log_in(self.db)
        return self._login

    def _log_in(self, db: Database) -> Login:
        import getpass
        import os

        from dtbd_desktop.trust import accounts

        password = os.environ.get("DTBD_PASSWORD")
        if password is None:
            if not sys.stdin or not sys.stdin.isatty():
                raise UsageError(tr("cli", "--user cần mật khẩu: đặt biến môi trường DTBD_PASSWORD."))
            password = getpass.getpass(tr("cli", "Mật khẩu của {user}: ").format(user=self.args.user))
        return accounts.authenticate(db, self.args.user, password)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A unit of work for the person logged in (operations check what they may do)."""
        from dtbd_desktop.trust import operations

        with operations.writing(self.db, self.login) as session:
            yield session

    @contextmanager
    def read(self, *, personal: bool = True) -> Iterator[Session]:
        """A read session; `personal` (rosters, scores, documents...) needs a login once the
        database has accounts."""
        from dtbd_desktop.trust import operations

        with operations.reading(self.db, self.login, personal=personal) as session:
            yield session

    def say(self, message: str) -> None:
        """A message for a person: stderr in JSON mode, stdout otherwise."""
        print(message, file=sys.stderr if self.json else sys.stdout)

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()


Handler = Callable[[Context], tuple[Any, int]]
"""A handler returns (JSON document, exit code); it prints its human output itself."""
