"""SQLite backend for the embedded server: writers of one process queue on a lock instead of polling.

SQLite allows one writer at a time. With ``BEGIN IMMEDIATE`` a second writer
waits in SQLite's busy handler, which sleeps and retries (1 ms … 100 ms steps)
and can lose the race again and again: under 8 concurrent intakes a few
requests waited close to a second. Here the threads of one process wait on a
lock, which hands the database over without sleeping; other processes still
meet SQLite's busy timeout as before. Measured in bench/README.md (intake).
"""

from __future__ import annotations

import threading

from django.db import OperationalError
from django.db.backends.sqlite3 import base

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def _lock_for(name: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(str(name), threading.Lock())


class DatabaseWrapper(base.DatabaseWrapper):
    _holds_write_lock = False

    def _write_lock(self) -> threading.Lock:
        return _lock_for(self.settings_dict["NAME"])

    def _start_transaction_under_autocommit(self):
        if not self._write_lock().acquire(timeout=self.settings_dict["OPTIONS"].get("timeout", 20)):
            raise OperationalError("database is locked")
        self._holds_write_lock = True
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_write_lock()
            raise

    def _release_write_lock(self):
        if self._holds_write_lock:
            self._holds_write_lock = False
            self._write_lock().release()

    def _commit(self):
        try:
            super()._commit()
        finally:
            self._release_write_lock()

    def _rollback(self):
        try:
            super()._rollback()
        finally:
            self._release_write_lock()

    def _close(self):
        try:
            super()._close()
        finally:
            self._release_write_lock()
