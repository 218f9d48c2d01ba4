"""An on-disk cache for what start-up builds from files that rarely change (the knowledge base, the gazetteer).

Each entry is a pickle named after what it holds and a fingerprint of everything it was built from: when a
knowledge file, a source package or the building code changes, the fingerprint changes and the entry is built
again. Entries are written to a temporary file and moved into place with os.replace, so a reader never sees half
a file and two processes building at once both succeed (the last one to finish wins, with the same content).
Entries of other fingerprints (another checkout, older files) stay until unread for a month.
A damaged or unreadable entry is built again; a folder that cannot be written falls back to the system's
temporary folder, and failing that the value is simply built in memory every time.

The folder is $NEWSINT_CACHE_DIR, else ~/.cache/newsint: per user, outside the working tree (nothing to ignore
or commit, shared by every checkout of the same version since the key is the content), and writable when the
project itself is installed read-only.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import pickle
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Callable, Iterable, TypeVar

CACHE_ENV = "NEWSINT_CACHE_DIR"
# The older variable (the Nominatim answers cache) still counts when the new one is not set.
LEGACY_CACHE_ENV = "NEWSINT_CACHE"
# Bump when the layout of a cached object changes in a way its fingerprint cannot see.
FORMAT = "1"
# Entries built from other versions of the files are removed once unread for this long.
UNUSED_DAYS = 30

log = logging.getLogger(__name__)
T = TypeVar("T")


def default_cache_dir() -> Path:
    """Where on-disk caches live: $NEWSINT_CACHE_DIR (or $NEWSINT_CACHE), else ~/.cache/newsint."""
    chosen = os.environ.get(CACHE_ENV) or os.environ.get(LEGACY_CACHE_ENV)
    return Path(chosen).expanduser() if chosen else Path.home() / ".cache" / "newsint"


def fallback_cache_dir() -> Path:
    """A per-user folder under the system's temporary folder, for when the chosen one cannot be written."""
    user = os.getuid() if hasattr(os, "getuid") else os.getlogin()
    return Path(tempfile.gettempdir()) / f"newsint-cache-{user}"


def fingerprint(files: Iterable[Path], packages: Iterable[str] = (), extra: Iterable[str] = ()) -> str:
    """A hash of files' names and bytes, installed packages' versions and any extra text (such as a format tag)."""
    digest = hashlib.sha256(FORMAT.encode())
    for path in sorted(Path(p) for p in files):
        digest.update(f"\0{path.name}\0".encode())
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
    for package in sorted(packages):
        try:
            version = metadata.version(package)
        except metadata.PackageNotFoundError:
            version = "<not installed>"
        digest.update(f"\0{package}=={version}".encode())
    for text in extra:
        digest.update(f"\0{text}".encode())
    return digest.hexdigest()


def entry_path(folder: Path, name: str, key: str) -> Path:
    """The file holding one version of an entry."""
    return folder / f"{name}-{key[:24]}.pickle"


def _read(path: Path) -> object:
    """Unpickle a file; the collector is paused because it would walk the growing object graph again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    finally:
        if enabled:
            gc.enable()


def _mark_used(path: Path) -> None:
    """Touch an entry when it is read, so the clean-up keeps what is in use."""
    try:
        os.utime(path)
    except OSError:
        pass


def _write(path: Path, value: object) -> None:
    """Pickle a value next to its final place, then move it there in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp", delete=False)
    try:
        with handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def _forget_unused(folder: Path, name: str, keep: Path) -> None:
    """Remove entries of the same name nobody has read for UNUSED_DAYS (best effort: another process may hold
    them). Recent ones stay: two checkouts of different versions may share the folder, each reading its own."""
    too_old = time.time() - UNUSED_DAYS * 86400
    for old in folder.glob(f"{name}-*.pickle"):
        try:
            if old != keep and old.stat().st_mtime < too_old:
                old.unlink()
        except OSError:
            pass


def is_cached(name: str, key: str) -> bool:
    """True when an entry for this key is on disk (it may still turn out damaged when read)."""
    return any(entry_path(folder, name, key).is_file() for folder in (default_cache_dir(), fallback_cache_dir()))


def cached(name: str, key: str, build: Callable[[], T], kind: type | None = None) -> T:
    """The value stored under name and key, or build() stored for next time; a damaged entry is rebuilt."""
    folders = [default_cache_dir(), fallback_cache_dir()]
    for folder in folders:
        path = entry_path(folder, name, key)
        try:
            value = _read(path)
        except FileNotFoundError:
            continue
        except Exception as error:  # a truncated or foreign file is only a cache: build it again
            log.warning("the cache file %s cannot be read (%s: %s); building it again", path, type(error).__name__,
                        error)
            continue
        if kind is None or isinstance(value, kind):
            _mark_used(path)
            return value  # type: ignore[return-value]
        log.warning("the cache file %s holds a %s, not a %s; building it again", path, type(value).__name__,
                    kind.__name__)
    value = build()
    for folder in folders:
        path = entry_path(folder, name, key)
        try:
            _write(path, value)
        except OSError as error:
            log.warning("cannot write the cache %s (%s); set %s to a writable folder to keep start-up fast",
                        path, error, CACHE_ENV)
            continue
        _forget_unused(folder, name, path)
        break
    return value
