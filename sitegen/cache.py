"""The build cache in ``<project>/.sitegen-cache/``: safe to delete, never trusted blindly.

Three files, so that the common case (nothing changed) reads only the smallest:

- ``state.bin``: what the inputs looked like at the end of the last build: a hash of the
  content folder's listing (name, size, mtime and inode of every content file, see
  :func:`sitegen.scan.walk`), a hash of site.yaml plus the build options, a hash of the
  theme, and where the output folder was. Loading it and stat-ing the content folder is
  all a no-change build does.
- ``files.bin``: the size, mtime and inode of every content file with a hash of its
  bytes, read when the listing differs, to tell which files changed.
- ``site.bin``: the parsed content records, the index computed from them, and a hash of
  every output file. An incremental build starts from these.

All are ``marshal`` data of plain tuples, dicts and strings, not pickles of objects: a
pickle of 75,000 dataclass records took seconds to load. Each record, and each entry of
the index's per-paper and per-author maps, is kept as its own small marshal string in the
body of site.bin, which is mapped into memory and decoded only where a build reads it
(:class:`LazyMap`): an edit to one paper decodes what the pages it renders show, not the
whole corpus, and saving again copies the bytes of every value that did not change.

Both carry the same random ``generation`` token, so a state from one build is never paired
with the site of another. Any problem reading either file (missing, truncated, written by
another version) reads as "no cache": the build then starts from scratch, silently.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import hashlib
import marshal
import mmap
import os
import signal
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from sitegen import __version__

CACHE_DIR = ".sitegen-cache"
STATE_FILE = "state.bin"
FILES_FILE = "files.bin"
SITE_FILE = "site.bin"
#: Files of earlier layouts, removed when the cache is cleared.
OLD_FILES = ("state.pickle", "site.pickle")
#: Bumped whenever the layout of the cached data changes.
FORMAT = 8

#: (mtime_ns, size, inode) of a file: equal signatures mean "not touched since".
Signature = tuple[int, int, int]


DIGEST_SIZE = 16  # bytes of a digest


def digest(data: bytes) -> bytes:
    """A short content hash: 16 bytes are plenty to tell two outputs apart.

    SHA-256 cut short rather than BLAKE2b: CPUs with SHA instructions hash it almost
    twice as fast, and a build hashes every byte it writes (about 290 MB at 10,000 papers).
    """
    return hashlib.sha256(data).digest()[:DIGEST_SIZE]


def signature(st: os.stat_result) -> Signature:
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def cache_key(*parts: object) -> str:
    """Ties a cache to this sitegen and Python version and to the build's folders."""
    text = "\0".join(map(str, (FORMAT, __version__, sys.version_info[:2], *parts)))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


@dataclass
class State:
    """The small half of the cache (see the module docstring)."""

    key: str
    generation: str
    # rel -> (signature, hash); None until read from files.bin (see load_files)
    files: dict[str, tuple[Signature, bytes]] | None = field(default_factory=dict)
    config_hash: bytes = b""
    theme_hash: bytes = b""
    out_sig: tuple[int, int] = (0, 0)  # (device, inode) of the output folder's marker file
    listing: bytes = b""  # hash of the content folder's listing (b"": not known)


@dataclass
class SiteData:
    """The large half: everything an incremental build needs from the previous one."""

    generation: str
    corpus: Any  # sitegen.content.store.Corpus (records by slug; LazyMaps when loaded)
    index: Any  # sitegen.render.index.SiteIndex (without its render memo)
    outputs: Mapping[str, bytes] = field(default_factory=dict)  # output file -> digest
    assets: list[str] = field(default_factory=list)  # static asset files written
    # paper -> papers that list it as related (the reverse of index.related), if known
    listed_by: Mapping[str, list[str]] | None = None


class LazyMap(Mapping):
    """A read-only mapping whose values are decoded from cached data on first access.

    ``raw`` (key -> encoded value, or a token that ``fetch`` turns into it) is shared
    between a map and the maps ``updated`` makes from it and is never changed; values set
    since loading live in ``_new``. Iteration follows ``order`` (the keys of ``raw`` unless
    keys were added or removed).
    """

    __slots__ = ("_raw", "_decode", "_fetch", "_new", "_seen", "_keys")

    def __init__(self, raw: dict[str, Any], decode: Callable[[Any], Any],
                 new: dict[str, Any] | None = None, keys: dict[str, None] | None = None,
                 fetch: Callable[[Any], bytes] | None = None) -> None:
        self._raw = raw
        self._decode = decode
        self._fetch = fetch
        self._new = {} if new is None else new
        self._seen: dict[str, Any] = {}
        self._keys = raw if keys is None else keys

    def __getitem__(self, key: str) -> Any:
        value = self._new.get(key)
        if value is not None:
            return value
        value = self._seen.get(key)
        if value is None:
            if key not in self._keys:
                raise KeyError(key)
            raw = self._raw[key]
            value = self._seen[key] = self._decode(
                raw if self._fetch is None else self._fetch(raw))
        return value

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def keys(self):  # noqa: ANN201 - a dict's keys view: set operations run in C
        return self._keys.keys()

    def __setitem__(self, key: str, value: Any) -> None:
        """Set in this map (and the maps sharing its ``_new``), as on a shared dict."""
        if key not in self._keys:
            self._keys = {**self._keys, key: None}
        self._new[key] = value

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyMap) and other._raw is self._raw and not self._new \
                and not other._new and self._keys is other._keys:
            return True
        return isinstance(other, Mapping) and dict(self.items()) == dict(other.items())

    __hash__ = None  # type: ignore[assignment]

    def updated(self, values: dict[str, Any], removed: set[str] | frozenset = frozenset(),
                order: list[str] | None = None) -> LazyMap:
        """A new map with ``values`` set and ``removed`` gone; ``order`` when keys change."""
        new = {k: v for k, v in self._new.items() if k not in removed}
        new.update(values)
        keys = self._keys if order is None else dict.fromkeys(order)
        out = LazyMap(self._raw, self._decode, new, keys, self._fetch)
        out._seen = {k: v for k, v in self._seen.items()
                     if k not in values and k not in removed}
        return out

    def encoded(self, encode: Callable[[Any], Any]) -> Iterator[tuple[str, Any]]:
        """(key, encoded value), reusing the stored encoding of every value not set anew."""
        raw, new, fetch = self._raw, self._new, self._fetch
        for k in self._keys:
            if k in new:
                yield k, encode(new[k])
            else:
                yield k, raw[k] if fetch is None else fetch(raw[k])


class Outputs(Mapping):
    """output file -> digest, loaded from the cache only when a build reads it whole.

    An edit that keeps the site's structure only replaces the digests of the pages it
    wrote; those changes are kept aside (``updated``) and applied when the table is read
    or saved, so such an edit never decodes the 225,000-entry table.
    """

    __slots__ = ("_load", "_table", "_changes", "_count")

    def __init__(self, load: Callable[[], dict[str, bytes]], count: int,
                 changes: dict[str, bytes] | None = None) -> None:
        self._load = load
        self._table: dict[str, bytes] | None = None
        self._changes = changes or {}
        self._count = count

    def _full(self) -> dict[str, bytes]:
        if self._table is None:
            table = self._load()
            table.update(self._changes)
            self._table = table
        return self._table

    def __getitem__(self, key: str) -> bytes:
        return self._full()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._full())

    def __len__(self) -> int:
        return self._count if self._table is None else len(self._table)

    def updated(self, changes: dict[str, bytes]) -> Outputs:
        """A table with ``changes`` applied (digests of existing files, or new files)."""
        out = Outputs(self._load, self._count, {**self._changes, **changes})
        if self._table is not None:
            out._table = {**self._table, **changes}
        return out


def _encode_paper(paper: Any) -> bytes:
    return marshal.dumps((paper.slug, paper.title, paper.authors, paper.et_al, paper.date,
                          paper.date_inferred, paper.category, paper.code, paper.score,
                          paper.affiliations, paper.abstract, paper.abstract_versions,
                          paper.profiles, paper.sources, paper.extra))


def _decode_paper(data: bytes) -> Any:
    from sitegen.content.model import Paper

    return Paper(*marshal.loads(data))


def _encode_author(author: Any) -> bytes:
    m = author.metrics
    return marshal.dumps((author.slug, author.name, author.aliases, author.profile,
                          (m.h_index, m.papers, m.citations, m.novelty, m.ai_score),
                          author.affiliation, author.bio,
                          [(link.label, link.url) for link in author.links], author.extra))


def _decode_author(data: bytes) -> Any:
    from sitegen.content.model import Author, Link, Metrics

    slug, name, aliases, profile, metrics, affiliation, bio, links, extra = \
        marshal.loads(data)
    return Author(slug, name, aliases, profile, Metrics(*metrics), affiliation, bio,
                  [Link(*link) for link in links], extra)


def _decode_credits(data: bytes) -> list[Any]:
    from sitegen.render.index import Credit

    return [Credit(name, slug) for name, slug in marshal.loads(data)]


def _encode_credits(credits: list[Any]) -> bytes:
    return marshal.dumps([(c.name, c.slug) for c in credits])


def _encoded(values: Mapping, encode: Callable[[Any], Any]) -> Iterator[tuple[str, bytes]]:
    """(key, encoded value) one at a time, so a save never holds all of them at once."""
    if isinstance(values, LazyMap):
        yield from values.encoded(encode)
    else:
        for key, value in values.items():
            yield key, encode(value)


#: Fields of the index stored as they are (small, or read whole by every build).
INDEX_FIELDS = ("name_to_slug", "all_papers", "authors_az", "featured", "years",
                "categories", "category_names", "warnings")
#: Per-paper and per-author maps of the index, stored value by value and decoded when
#: read: an edit reads the entries of a few papers and authors out of 75,000.
LAZY_FIELDS = ("hidden", "papers_by_author", "coauthors", "related", "people_of")


def _write_site(fh: BinaryIO, site: SiteData) -> None:
    """site.bin: the header's position (8 bytes), every lazily read value, the header.

    The header (marshal) holds the small fields and, for each lazy map, key -> position
    and length of its value (the table of output hashes is one such value); a build maps
    the file into memory and copies out only the values it reads. Values are written as
    they are encoded, so a save holds one at a time (the child process saving after a
    cold build of 50,000 papers would otherwise add the whole encoded site to its memory).
    """
    index = site.index
    maps = [_encoded(site.corpus.papers, _encode_paper),
            _encoded(site.corpus.authors, _encode_author),
            _encoded(index.credits, _encode_credits),
            *(_encoded(getattr(index, name), marshal.dumps) for name in LAZY_FIELDS),
            _encoded(site.listed_by or {}, marshal.dumps),
            iter([("outputs", marshal.dumps(site.outputs if isinstance(site.outputs, dict)
                                            else dict(site.outputs.items())))])]
    fh.write(bytes(8))
    offset = 0
    tokens: list[dict[str, int]] = []
    for values in maps:
        places: dict[str, int] = {}
        for key, data in values:
            places[key] = offset << 32 | len(data)
            fh.write(data)
            offset += len(data)
        tokens.append(places)
    fh.write(marshal.dumps((FORMAT, site.generation, tokens, site.listed_by is not None,
                            tuple(getattr(index, name) for name in INDEX_FIELDS),
                            len(site.outputs), site.assets)))
    fh.seek(0)
    fh.write((8 + offset).to_bytes(8, "big"))


def _read_site(path: Path) -> SiteData:
    from sitegen.content.store import Corpus
    from sitegen.render.index import SiteIndex

    with open(path, "rb") as fh:
        at = int.from_bytes(fh.read(8), "big")
        if at < 8:
            raise ValueError("cache header")
        fh.seek(at)
        header = marshal.loads(fh.read())
        mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    fmt, generation, tokens, has_listed_by, fields, count, assets = header
    if fmt != FORMAT or len(tokens) != 5 + len(LAZY_FIELDS):
        raise ValueError("cache format")
    base = 8

    def fetch(token: int) -> bytes:
        start = base + (token >> 32)
        return mapped[start:start + (token & 0xFFFFFFFF)]

    def lazy(places: dict[str, int], decode: Callable[[Any], Any]) -> LazyMap:
        return LazyMap(places, decode, fetch=fetch)

    papers, authors, credits, *maps, listed_by, table = tokens
    outputs = Outputs(lambda: marshal.loads(fetch(table["outputs"])), count)
    corpus = Corpus(papers=lazy(papers, _decode_paper),  # type: ignore[arg-type]
                    authors=lazy(authors, _decode_author))  # type: ignore[arg-type]
    index = SiteIndex(corpus=corpus, credits=lazy(credits, _decode_credits),  # type: ignore[arg-type]
                      **dict(zip(INDEX_FIELDS, fields, strict=True)),
                      **{name: lazy(places, marshal.loads)  # type: ignore[arg-type]
                         for name, places in zip(LAZY_FIELDS, maps, strict=True)})
    return SiteData(generation=generation, corpus=corpus, index=index, outputs=outputs,
                    assets=assets,
                    listed_by=lazy(listed_by, marshal.loads) if has_listed_by else None)


def _state_to_plain(state: State) -> tuple:
    return (FORMAT, state.key, state.generation, state.config_hash, state.theme_hash,
            state.out_sig, state.listing)


def _state_from_plain(data: tuple) -> State:
    fmt, key, generation, config_hash, theme_hash, out_sig, listing = data
    if fmt != FORMAT:
        raise ValueError("cache format")
    return State(key=key, generation=generation, files=None, config_hash=config_hash,
                 theme_hash=theme_hash, out_sig=tuple(out_sig), listing=listing)  # type: ignore[arg-type]


def _files_from_plain(data: tuple) -> tuple[str, dict]:
    fmt, generation, files = data
    if fmt != FORMAT or not isinstance(files, dict):
        raise ValueError("cache format")
    return generation, files


def new_generation() -> str:
    return os.urandom(8).hex()


LOCK_FILE = "lock"


def _lock(cache_dir: Path, mode: int) -> int | None:
    """An flock on the cache folder's lock file: writers hold it exclusively, readers
    shared, so a reader never sees the files of a save still in progress (even one done by
    a process the previous ``sitegen build`` left behind to finish writing)."""
    try:
        fd = os.open(cache_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return None
    try:
        fcntl.flock(fd, mode)
    except OSError:
        os.close(fd)
        return None
    return fd


def _unlock(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)  # closing the last descriptor of the open file releases the flock


def _load(path: Path, convert: Callable[[Any], Any], *, whole: bool = True) -> Any:
    fd = _lock(path.parent, fcntl.LOCK_SH) if path.parent.is_dir() else None
    try:
        if not whole:
            return convert(path)
        with open(path, "rb") as fh:
            return convert(marshal.loads(fh.read()))
    except Exception:  # noqa: BLE001 - a damaged cache of any kind is simply not used
        return None
    finally:
        _unlock(fd)


def load_state(cache_dir: Path, key: str) -> State | None:
    state = _load(cache_dir / STATE_FILE, _state_from_plain)
    if not isinstance(state, State) or state.key != key:
        return None
    return state


def load_files(cache_dir: Path, state: State) -> bool:
    """Fill in ``state.files`` from files.bin; False when that file does not belong."""
    if state.files is not None:
        return True
    found = _load(cache_dir / FILES_FILE, _files_from_plain)
    if found is None or found[0] != state.generation:
        return False
    state.files = found[1]
    return True


def load_site(cache_dir: Path, state: State) -> SiteData | None:
    site = _load(cache_dir / SITE_FILE, _read_site, whole=False)
    if not isinstance(site, SiteData) or site.generation != state.generation:
        return None
    return site


def _dump(path: Path, data: bytes | Callable[[BinaryIO], None]) -> None:
    # A name of our own rather than mkstemp: this may run in a child forked from a
    # threaded process, where tempfile's lock could be held by a thread that is gone.
    tmp = str(path.parent / f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, bytes):
                fh.write(data)
            else:
                data(fh)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def save(cache_dir: Path, state: State, site: SiteData | None) -> None:
    """Write both halves atomically; the state last, so it never names a missing site.

    ``site`` None keeps the site file as it is (its generation must match ``state``).
    Failing to write a cache never fails a build: the next build just starts cold.
    """
    wait_for_saver(cache_dir)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    fd = _lock(cache_dir, fcntl.LOCK_EX)
    try:
        _write(cache_dir, state, site)
    finally:
        _unlock(fd)


def _write(cache_dir: Path, state: State, site: SiteData | None) -> None:
    for stale in cache_dir.glob(".*.tmp"):  # left by a save that was stopped
        with contextlib.suppress(OSError):
            stale.unlink()
    try:
        if site is not None:
            _dump(cache_dir / SITE_FILE, lambda fh: _write_site(fh, site))
        if state.files is not None:
            _dump(cache_dir / FILES_FILE,
                  marshal.dumps((FORMAT, state.generation, state.files)))
        _dump(cache_dir / STATE_FILE, marshal.dumps(_state_to_plain(state)))
    except Exception:  # noqa: BLE001 - no cache is better than a failed build
        for name in (STATE_FILE, SITE_FILE):
            with contextlib.suppress(OSError):
                (cache_dir / name).unlink()


_SAVERS: dict[str, int] = {}  # cache folder -> pid of the child still writing it


def wait_for_saver(cache_dir: Path) -> None:
    """Block until a background save into ``cache_dir`` (if any) has finished."""
    pid = _SAVERS.pop(str(cache_dir), None)
    if pid is not None:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


def reap(cache_dir: Path) -> None:
    """Collect a finished background save without waiting for a running one."""
    pid = _SAVERS.get(str(cache_dir))
    if pid is None:
        return
    try:
        done, _status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        done = pid
    if done:
        _SAVERS.pop(str(cache_dir), None)


def stop_saver(cache_dir: Path) -> None:
    """End a background save that a newer build makes pointless (its files stay whole)."""
    pid = _SAVERS.pop(str(cache_dir), None)
    if pid is None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def invalidate(cache_dir: Path) -> None:
    """Forget the state before the output folder is changed in place.

    Until the new state is saved, no build trusts this cache: if the process dies between
    the two, the next build is a full one instead of one that believes stale hashes.
    """
    stop_saver(cache_dir)
    fd = _lock(cache_dir, fcntl.LOCK_EX) if cache_dir.is_dir() else None
    try:
        with contextlib.suppress(OSError):
            (cache_dir / STATE_FILE).unlink()
    finally:
        _unlock(fd)


def save_in_background(cache_dir: Path, state: State, site: SiteData | None) -> None:
    """``save`` in a forked child, so a long-lived builder (a preview) does not wait.

    Saves into one folder never overlap: the previous one is waited for first, so the
    files on disk always end as the latest build left them.
    """
    stop_saver(cache_dir)  # an older build's save: this one supersedes it
    pid = _fork_save(cache_dir, state, site)
    if pid is not None:
        _SAVERS[str(cache_dir)] = pid


def save_detached(cache_dir: Path, state: State, site: SiteData | None) -> None:
    """``save`` in a child that may outlive this process (``sitegen build`` on a big site).

    The output is complete before this is called; the child holds the cache lock until
    its files are in place, and the next build's read of the cache waits for that.
    """
    _fork_save(cache_dir, state, site)


def _fork_save(cache_dir: Path, state: State, site: SiteData | None) -> int | None:
    """Lock, fork, and let the child write and release; None when it was done here."""
    wait_for_saver(cache_dir)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    fd = _lock(cache_dir, fcntl.LOCK_EX)
    if fd is None or not hasattr(os, "fork"):  # pragma: no cover - no locking, no fork
        try:
            _write(cache_dir, state, site)
        finally:
            _unlock(fd)
        return None
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child process
        code = 0
        try:
            # Lower priority: the build that forked this (a preview answering a browser,
            # or the next build) matters more than having the cache written a bit sooner.
            with contextlib.suppress(OSError):
                os.nice(10)
            # Nor should it hold the command's output open: `sitegen build | tee log`
            # ends when sitegen does, not when the cache is written.
            with contextlib.suppress(OSError):
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 1)
                os.dup2(devnull, 2)
            _write(cache_dir, state, site)
        except BaseException:  # noqa: BLE001
            code = 1
        os._exit(code)  # the inherited lock descriptor closes with the process
    os.close(fd)  # the child's copy keeps the lock until it is done
    return pid


@atexit.register
def wait_for_savers() -> None:
    """Wait for every background save this process started (detached ones excepted)."""
    for folder in list(_SAVERS):
        wait_for_saver(Path(folder))


def clear(cache_dir: Path) -> None:
    wait_for_saver(cache_dir)
    fd = _lock(cache_dir, fcntl.LOCK_EX) if cache_dir.is_dir() else None
    try:
        for name in (STATE_FILE, FILES_FILE, SITE_FILE, *OLD_FILES):
            with contextlib.suppress(OSError):
                (cache_dir / name).unlink()
    finally:
        _unlock(fd)
