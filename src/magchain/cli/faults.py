"""Faults from outside magchain (the file system, the database, Python's limits) as magchain errors.

The CLI's edge calls :func:`as_magchain_error` on anything a command raises, so every fault
reaches the user as one message of its kind with its exit code, never as a traceback
(``magchain --debug`` shows the traceback for those who want it).
"""

from __future__ import annotations

import errno
import re

from magchain.errors import (
    Conflict,
    FileSystemFault,
    InvalidInput,
    MagchainError,
    StoreUnavailable,
)

INTERRUPTED = 130  # the shell's code for a command stopped by Ctrl-C
INTERNAL = 70  # EX_SOFTWARE: a fault magchain did not foresee


def as_magchain_error(error: BaseException, url: str | None) -> MagchainError | None:
    """The magchain error a fault stands for, or None when it is a bug in magchain."""
    if isinstance(error, MagchainError):
        return error
    if isinstance(error, OSError):
        return _file_system(error)
    if isinstance(error, RecursionError):
        return InvalidInput("The input is nested too deeply to read (more than Python's recursion limit). "
                            "Flatten the structure.")
    if isinstance(error, OverflowError):
        return InvalidInput(f"A number in the input is too large to use ({error}). Give it in ordinary units.")
    if isinstance(error, UnicodeError):
        return InvalidInput(f"The input is not valid text ({error}). Save it as UTF-8.")
    store = _store_fault(error, url)
    if store is not None:
        return store
    return None


def _file_system(error: OSError) -> MagchainError:
    path = error.filename or "the path"
    what = {
        errno.ENOENT: "does not exist; create the folder or give a path that exists",
        errno.EACCES: "may not be read or written by you; choose another path or change its permissions",
        errno.EPERM: "may not be read or written by you; choose another path or change its permissions",
        errno.ENOTDIR: "runs through something that is not a folder; check the path",
        errno.EISDIR: "is a folder, where a file is needed; give a file name",
        errno.ENOSPC: "cannot be written: the disk is full; free space and run the command again",
        errno.EROFS: "is on a read-only file system; choose another path",
    }.get(error.errno, f"cannot be used ({error.strerror or error})")
    return FileSystemFault(f"{path} {what}.")


def _without_password(url: str) -> str:
    """The URL as it may be shown: a password in it is masked."""
    return re.sub(r"(//[^:/@]+):[^@]*@", r"\1:***@", url)


def _store_fault(error: BaseException, url: str | None) -> MagchainError | None:
    """Database and migration faults, with the repair to run."""
    from alembic.util import CommandError
    from sqlalchemy import exc as sql

    where = f"The store {_without_password(url)}" if url else "The store"
    text = str(getattr(error, "orig", None) or error).strip().splitlines()[0] if str(error).strip() else ""
    if isinstance(error, CommandError):
        return StoreUnavailable(f"{where} has a schema this magchain does not know ({text}); it was probably "
                                "made by a newer magchain. Upgrade magchain (pip install -U magchain).")
    if isinstance(error, sql.ArgumentError | sql.NoSuchModuleError):
        return StoreUnavailable(f"{where}: not a database URL magchain can open ({text}). Use sqlite:///path/"
                                "file.sqlite or postgresql://user@host/database.")
    if isinstance(error, sql.IntegrityError):
        return Conflict(f"{where} refused a record that clashes with one already there ({text}). Nothing was "
                        "written; another command may have written it at the same time, so run this one again.")
    if isinstance(error, sql.OperationalError | sql.DatabaseError | sql.InterfaceError):
        lowered = text.lower()
        if "locked" in lowered or "could not obtain lock" in lowered:
            return Conflict(f"{where} is being written by another program and stayed locked. Nothing was "
                            "written; run the command again when the other one has finished.")
        if "readonly" in lowered or "read-only" in lowered:
            return StoreUnavailable(f"{where} is read-only for you ({text}). Give magchain a store it may write, "
                                    "or change the file's permissions.")
        if "not a database" in lowered or "malformed" in lowered or "no such table" in lowered:
            return StoreUnavailable(f"{where} is damaged or not a magchain store ({text}). Move it aside and "
                                    "run magchain db init to create a new one.")
        return StoreUnavailable(f"{where} cannot be reached ({text}). Check MAGCHAIN_DATABASE_URL (or --db) and "
                                "that the database server is running.")
    return None
