"""One way to run work off the GUI thread: a single worker, results and errors back on the GUI thread.

Writes to the database are serialised on one worker (as Anki's task manager does), so two
long jobs never fight over the database; the caller gets `on_done(result)` or the error
shown to the person (never swallowed). Work that reports progress takes a `progress`
callback (plain Python, no Qt), which this module turns into a signal.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from dtbd_desktop.base.errors import DtbdError, describe_database_error
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.base.logfile import log
from dtbd_desktop.base.redact import scrub_secrets


class Cancelled(Exception):
    """Raised inside a job by its progress callback when the person pressed Cancel."""


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object, str)
    progress = Signal(int, int, str)


class _Job(QRunnable):
    def __init__(self, fn: Callable[..., Any], with_progress: bool) -> None:
        super().__init__()
        self.fn = fn
        self.with_progress = with_progress
        self.signals = _Signals()
        self.cancelled = False
        self.setAutoDelete(True)

    def report(self, done: int, total: int, message: str = "") -> None:
        if self.cancelled:
            raise Cancelled()
        self.signals.progress.emit(done, total, message)

    @Slot()
    def run(self) -> None:
        try:
            result = self.fn(self.report) if self.with_progress else self.fn()
        except Exception as exc:  # reported to the GUI thread, shown to the person
            if not isinstance(exc, DtbdError | Cancelled):
                log.error("task failed: %s", type(exc).__name__, exc_info=True)
            self.signals.failed.emit(exc, scrub_secrets(traceback.format_exc()))
        else:
            # Boxed: PySide6 mis-counts references to None sent through a queued Signal(object),
            # which aborts Python 3.11 ("none_dealloc"); a list is always a fresh object.
            self.signals.done.emit([result])


def error_text(exc: BaseException) -> str:
    """What to show a person for an error: the message and the problems it lists."""
    if isinstance(exc, DtbdError):
        lines = [exc.message]
        for p in exc.problems[:30]:
            where = []
            if p.row is not None:
                where.append(tr("tasks", "dòng {row}").format(row=p.row))
            if p.column:
                where.append(tr("tasks", "cột {column}").format(column=p.column))
            lines.append(("• " + ", ".join(where) + ": " if where else "• ") + p.message)
        if len(exc.problems) > 30:
            lines.append(tr("tasks", "... và {n} lỗi khác.").format(n=len(exc.problems) - 30))
        return "\n".join(lines)
    from sqlalchemy.exc import SQLAlchemyError  # loaded by then: the error came from it or from Python

    if isinstance(exc, SQLAlchemyError):
        return tr("tasks", "Lỗi cơ sở dữ liệu: {error}").format(error=describe_database_error(exc))
    return tr("tasks", "Lỗi không mong đợi: {error}").format(error=describe_database_error(exc))


#: The lanes work runs on, each its own worker thread: changes one at a time ("write"); the reads
#: a screen shows ("read"), never queued behind a change or a long job; long work a person waits
#: for with a progress dialog (exports, checks, file reading: "long").
LANES = ("write", "read", "long")


class TaskRunner(QObject):
    """Runs jobs off the GUI thread, on three lanes (`LANES`), one job at a time per lane. Owned by
    the main window, not a global. `wrote` is sent after each change saved through `AppContext.write`
    (screens showing records reload when they are next shown)."""

    wrote = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pools: dict[str, QThreadPool] = {}
        for lane in LANES:
            pool = QThreadPool(self)
            pool.setMaxThreadCount(1)
            self.pools[lane] = pool
        self.pool = self.pools["write"]
        self._jobs: set[_Job] = set()

    def run(
        self,
        fn: Callable[..., Any],
        on_done: Callable[[Any], None] | None = None,
        *,
        parent: QWidget | None = None,
        on_failed: Callable[[BaseException], None] | None = None,
        progress_label: str | None = None,
        with_progress: bool = False,
        lane: str = "write",
    ) -> _Job:
        """Run `fn()`, or `fn(progress)` when `with_progress` or `progress_label` is given
        (with a label, a cancellable progress dialog shows it), on `lane`."""
        job = _Job(fn, with_progress=with_progress or progress_label is not None)
        self._jobs.add(job)
        dialog: QProgressDialog | None = None
        if progress_label is not None:
            dialog = QProgressDialog(progress_label, tr("tasks", "Hủy"), 0, 0, parent)
            dialog.setWindowTitle(tr("tasks", "Đang xử lý"))
            dialog.setMinimumDuration(400)
            dialog.canceled.connect(lambda: setattr(job, "cancelled", True))

            def show_progress(done: int, total: int, message: str) -> None:
                assert dialog is not None
                dialog.setMaximum(max(total, 0))
                dialog.setValue(done)
                if message:
                    dialog.setLabelText(message)

            job.signals.progress.connect(show_progress)

        def finished() -> None:
            self._jobs.discard(job)
            if dialog is not None:
                dialog.reset()
                dialog.deleteLater()

        def alive() -> bool:
            # A screen closed while its job ran must not receive the result (its models are gone).
            return parent is None or shiboken6.isValid(parent)

        def done(boxed: list[Any]) -> None:
            finished()
            if on_done is not None and alive():
                on_done(boxed[0])

        def failed(exc: BaseException, trace: str) -> None:
            finished()
            if isinstance(exc, Cancelled) or not alive():
                return
            if on_failed is not None:
                on_failed(exc)
            else:
                show_error(parent, exc, trace)

        job.signals.done.connect(done)
        job.signals.failed.connect(failed)
        self.pools[lane].start(job)
        return job

    def idle(self) -> bool:
        """True when no job is queued, running, or waiting for its result to be shown."""
        return not self._jobs

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until the queued jobs of every lane are finished (closing the window, tests)."""
        return all([pool.waitForDone(msecs) for pool in self.pools.values()])


def show_error(parent: QWidget | None, exc: BaseException, trace: str = "") -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, tr("tasks", "Không thực hiện được"), error_text(exc),
                      QMessageBox.StandardButton.Ok, parent)
    if trace and not isinstance(exc, DtbdError):
        box.setDetailedText(trace)
    box.open()
