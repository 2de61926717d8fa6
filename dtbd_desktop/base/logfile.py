"""The log file for the person who supports the centre: errors and warnings, never secrets.

`<data folder>/logs/dtbd.log`, rotated at 1 MB with 5 old files kept, readable by this account
only. Both front doors call `setup_logging()` once at start (the GUI's `gui.app.main`, the
command line's `cli.main.main`); nothing is written at import, and the folder and the file are
made only when the first record arrives, so `dtbd --help` leaves no trace. Every record goes
through `ScrubFilter` first: national IDs (9–12 digits), passwords, URL credentials, Argon2
hashes, PEM blocks and SQL parameters are replaced by `***`, in the message and in the
traceback alike.
"""

from __future__ import annotations

import logging
import logging.handlers
from io import TextIOWrapper
from pathlib import Path

from dtbd_desktop.base.paths import private_dir, private_file, user_data_dir
from dtbd_desktop.base.redact import scrub_for_log

LOGGER_NAME = "dtbd_desktop"
LOG_FILE = "dtbd.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d]: %(message)s"

log = logging.getLogger(LOGGER_NAME)


def log_dir() -> Path:
    return user_data_dir() / "logs"


def log_path() -> Path:
    return log_dir() / LOG_FILE


class ScrubFilter(logging.Filter):
    """Replaces the record's message and traceback by their scrubbed text (`redact.scrub_for_log`)."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub_for_log(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub_for_log(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub_for_log(record.stack_info)
        return True


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating file whose folder is made (mode 0700) and whose files are opened (mode 0600)
    only when a record is written, and closed after it."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True)
        self._opening = False

    def emit(self, record: logging.LogRecord) -> None:
        if self._opening:  # a warning about the log folder itself, while opening it: dropped
            return
        super().emit(record)
        # Records are rare: the file is closed after each one, so that another program (the GUI
        # and a command line at once) can rotate it, which Windows refuses while a file is open.
        if self.stream is not None:
            self.stream.close()
            self.stream = None

    def _open(self) -> TextIOWrapper:
        self._opening = True
        try:
            private_dir(Path(self.baseFilename).parent)
            stream = super()._open()
            private_file(Path(self.baseFilename))
        finally:
            self._opening = False
        return stream


def setup_logging(level: int = logging.WARNING) -> Path:
    """Send the program's warnings and errors to the log file of the current data folder.

    Safe to call again (tests change DTBD_DATA_DIR between runs): a handler for another folder
    is closed and replaced. Returns the log file's path."""
    path = log_path()
    for handler in list(log.handlers):
        if isinstance(handler, PrivateRotatingFileHandler):
            if Path(handler.baseFilename) == path.absolute():
                return path
            log.removeHandler(handler)
            handler.close()
    handler = PrivateRotatingFileHandler(path)
    handler.setLevel(level)
    handler.addFilter(ScrubFilter())
    handler.setFormatter(logging.Formatter(FORMAT))
    log.addHandler(handler)
    if log.level == logging.NOTSET or log.level > level:
        log.setLevel(level)
    return path


def current_log_path() -> Path:
    """Where this program's log is being written (set up at start), else where it would be."""
    for handler in log.handlers:
        if isinstance(handler, PrivateRotatingFileHandler):
            return Path(handler.baseFilename)
    return log_path()


def close_logging() -> None:
    """Close the log file (tests, and before a folder is removed)."""
    for handler in list(log.handlers):
        if isinstance(handler, PrivateRotatingFileHandler):
            log.removeHandler(handler)
            handler.close()
