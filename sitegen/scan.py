"""Reading the content folder with a cache: only new or edited files are parsed again.

A file is re-read when its size, mtime or inode differs from the cached signature, and
re-parsed only when the hash of its bytes differs too (``touch`` costs a read, not a
parse). A cold load of thousands of files is spread over all cores with a fork pool:
YAML construction is CPU-bound Python, so threads would not help. Errors are reported
exactly as the uncached loader reports them: the first bad file in the order
``load_corpus`` reads (authors, then papers, each sorted).
"""

from __future__ import annotations

import contextlib
import marshal
import operator
import os
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.cache import DIGEST_SIZE, FileTable, LazyMap, Signature, digest
from sitegen.content.model import METRIC_KEYS, Author, Link, Metrics, Paper
from sitegen.content.names import SUFFIXES
from sitegen.content.store import (
    AUTHORS_DIR,
    PAPERS_DIR,
    Corpus,
    check_references,
    load_author,
    load_paper,
)
from sitegen.content.validate import author_from_dict, paper_from_dict
from sitegen.content.yamlio import parse_yaml
from sitegen.errors import ContentError, SitegenError
from sitegen.walk import Walk, WalkPart, walk  # noqa: F401 - part of this module's API
from sitegen.walk import workers as _workers

FOLDERS = (AUTHORS_DIR, PAPERS_DIR)  # the order load_corpus reads them in
PARALLEL_MIN = 1500  # below this many files a pool costs more than it saves
Record = Paper | Author


@dataclass
class Scan:
    """The content folder as of now, and how it differs from the cached one."""

    files: dict[str, tuple[Signature, bytes]] = field(default_factory=dict)
    records: dict[str, Record] = field(default_factory=dict)  # rel path -> record
    pending: list[str] = field(default_factory=list)  # rel paths to parse (new or edited)
    changed: set[str] = field(default_factory=set)  # rel paths whose record differs
    removed: set[str] = field(default_factory=set)  # rel paths gone since the cache
    touched: bool = False  # some signature differs (the state needs saving)
    listing: bytes = b""  # the walk's digest (b"": only some files were looked at)
    same_names: bool = False  # every cached file is there, and no other (no file came)

    @property
    def content_changed(self) -> bool:
        return bool(self.pending or self.changed or self.removed)


def _display(content_dir: Path, rel: str) -> str:
    return f"{content_dir.name}/{rel}"


def parse_file(content_dir: Path, rel: str, dir_fd: int | None = None) -> tuple[bytes, Record]:
    """Hash and record of one content file; raises ContentError like the plain loader.

    ``dir_fd``: the content folder, opened, to open ``rel`` from (saves the look-up of
    the folder's path for each of thousands of files).
    """
    # Plain strings and file descriptors, not Path and file objects: a cold build calls
    # this for every content file.
    folder, file_name = rel.split("/", 1)
    validator = paper_from_dict if folder == PAPERS_DIR else author_from_dict
    try:
        if dir_fd is None:
            fd = os.open(os.path.join(content_dir, rel), _READ)
        else:
            fd = os.open(rel, _READ, dir_fd=dir_fd)
        try:
            raw = os.read(fd, _CHUNK)
            # Read on to the end (an empty read): a read may return less than asked for
            # before the end on some file systems; a content file is one read and this.
            if raw:
                parts = [raw]
                while part := os.read(fd, _CHUNK):
                    parts.append(part)
                if len(parts) > 1:
                    raw = b"".join(parts)
        finally:
            os.close(fd)
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        loader = load_paper if folder == PAPERS_DIR else load_author
        loader(content_dir / rel, content_dir)  # raises the error with its usual wording
        raise  # pragma: no cover - the loader always raises here
    name = _display(content_dir, rel)
    record = validator(parse_yaml(text, name), file_name.rsplit(".", 1)[0], name, text)
    return digest(raw), record


_READ = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)
_CHUNK = 1 << 16


@contextlib.contextmanager
def _opened_dir(content_dir: Path) -> Iterator[int | None]:
    """The content folder as a file descriptor (None where that is not supported)."""
    if os.open not in os.supports_dir_fd:  # pragma: no cover - not POSIX
        yield None
        return
    try:
        fd = os.open(content_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _READ)
    except OSError:
        yield None  # each file then reports its own problem
        return
    try:
        yield fd
    finally:
        os.close(fd)


# -- records travelling between processes ---------------------------------------------------
# A worker's records come back as plain tuples in marshal's format: unpickling dataclass
# instances one attribute at a time cost the waiting parent three times as much.
_PAPER_FIELDS = operator.attrgetter(*Paper.__slots__)
_AUTHOR_FIELDS = operator.attrgetter(*Author.__slots__)
_METRIC_FIELDS = operator.attrgetter(*METRIC_KEYS)
_METRICS_AT = Author.__slots__.index("metrics")
_LINKS_AT = Author.__slots__.index("links")


def _as_tuple(record: Record) -> tuple:
    if record.__class__ is Paper:
        return _PAPER_FIELDS(record)
    fields = list(_AUTHOR_FIELDS(record))
    fields[_METRICS_AT] = _METRIC_FIELDS(fields[_METRICS_AT])
    fields[_LINKS_AT] = [(link.label, link.url) for link in fields[_LINKS_AT]]
    return tuple(fields)


def _from_tuple(folder: str, fields: tuple) -> Record:
    if folder == PAPERS_DIR:
        return Paper(*fields)
    values = list(fields)
    values[_METRICS_AT] = Metrics(*values[_METRICS_AT])
    values[_LINKS_AT] = [Link(*link) for link in values[_LINKS_AT]]
    return Author(*values)


def _encode(items: list[tuple]) -> bytes | list[tuple]:
    """A worker's results as marshal data, or as they are if some value is not plain."""
    try:
        return marshal.dumps([(i, file_hash, _as_tuple(record)) if file_hash is not None
                              else (i, file_hash, record) for i, file_hash, record in items])
    except ValueError:  # an ``extra`` value marshal cannot write: pickled instead
        return items


def _decode(data: bytes | list[tuple], rels: list[str]) -> list[tuple]:
    if data.__class__ is not bytes:
        return data  # type: ignore[return-value]
    return [(i, file_hash, _from_tuple(rels[i].split("/", 1)[0], fields))
            if file_hash is not None else (i, file_hash, fields)
            for i, file_hash, fields in marshal.loads(data)]  # type: ignore[arg-type]


# -- parallel parsing (fork) ------------------------------------------------------------------
_JOB: tuple[Path, list[str], int] | None = None


def _parse_chunk(bounds: tuple[int, int]) -> list[tuple] | bytes:
    """Worker: parse a slice of the job list; errors travel as plain tuples.

    In a forked child the results are encoded for the trip back (see ``_encode``); the
    process that started the job keeps its own share as records.
    """
    assert _JOB is not None
    content_dir, rels, parent = _JOB
    out: list[tuple] = []
    with _opened_dir(content_dir) as dir_fd:
        for i in range(*bounds):
            try:
                out.append((i, *parse_file(content_dir, rels[i], dir_fd)))
            except SitegenError as exc:
                out.append((i, None, (type(exc).__name__, exc.problem, exc.file, exc.line,
                                      exc.key)))
    return out if os.getpid() == parent else _encode(out)


def parse_many(content_dir: Path, rels: list[str],
               meanwhile: Callable[[], object] | None = None,
               ) -> dict[str, tuple[bytes, Record]]:
    """Parse files (in parallel when there are many); raises the first error in order.

    ``meanwhile``: work for this process to do once the other workers have started on a
    parallel parse (they take over its share of the files meanwhile); not called when
    the files are parsed here alone.
    """
    # Imported here: sitegen.parallel loads the renderer, which a no-change build skips.
    from sitegen.parallel import gc_paused

    with gc_paused():  # records hold no cycles; collections would only re-walk them
        return _parse_many(content_dir, rels, meanwhile)


def _parse_many(content_dir: Path, rels: list[str],
                meanwhile: Callable[[], object] | None) -> dict[str, tuple[bytes, Record]]:
    import multiprocessing  # here: a build that parses nothing never needs it

    from sitegen.parallel import SharedWork

    results: dict[int, tuple] = {}
    workers = _workers()
    forking = "fork" in multiprocessing.get_all_start_methods()
    if len(rels) >= PARALLEL_MIN and workers > 1 and forking:
        global _JOB
        _JOB = (content_dir, rels, os.getpid())
        try:
            # Chunks whose records (about 2 KB a file) fit a worker's pipe (PIPE_BYTES).
            step = max(64, min(256, len(rels) // (workers * 16)))
            chunks = [(a, min(a + step, len(rels))) for a in range(0, len(rels), step)]
            shared = SharedWork(chunks, _parse_chunk, workers)
            try:
                if meanwhile is not None:
                    meanwhile()
            except BaseException:
                shared.close()
                raise
            for part in shared.finish():
                for item in _decode(part, rels):
                    results[item[0]] = item[1:]
        finally:
            _JOB = None
    else:
        with _opened_dir(content_dir) as dir_fd:
            for i, rel in enumerate(rels):
                try:
                    results[i] = parse_file(content_dir, rel, dir_fd)
                except SitegenError as exc:
                    results[i] = (None, (type(exc).__name__, exc.problem, exc.file, exc.line,
                                         exc.key))
                    break
    out: dict[str, tuple[bytes, Record]] = {}
    for i, rel in enumerate(rels):
        item = results.get(i)
        if item is None:
            continue
        if item[0] is None:
            _kind, problem, file, line, key = item[1]
            raise ContentError(problem, file=file, line=line, key=key)
        out[rel] = item
    return out


def _unchanged(content_dir: Path, rel: str, file_hash: bytes) -> bool:
    """Whether a file whose signature changed (a touch, a save of the same text) still
    holds the bytes of ``file_hash``."""
    try:
        raw = (content_dir / rel).read_bytes()
    except OSError:
        return False
    return digest(raw) == file_hash


def _fast_scan(content_dir: Path, cached: FileTable, walked: Walk) -> Scan | None:
    """The scan of an edit: the same names as cached, some signatures differ.

    The signature arrays are compared a block at a time (a bytes comparison in C); only
    the files of differing blocks are looked at one by one. None when the listing's names
    differ from the cached ones (files came or went): the general path handles that.
    """
    if len(cached.parts) != len(walked.parts):
        return None
    for cpart, wpart in zip(cached.parts, walked.parts, strict=True):
        if cpart.folder != wpart.folder or cpart.names_digest != wpart.names_digest \
                or wpart.sigs is None or len(cpart.sigs) != len(wpart.sigs):
            return None
    result = Scan(listing=walked.digest, same_names=True)
    files = cached.copy()
    block = 3 * 8 * 256  # bytes of 256 signatures
    for cpart, wpart, part in zip(cached.parts, walked.parts, files.parts, strict=True):
        part._names = wpart.names  # the same names: no need to decode the cached ones
        assert wpart.sigs is not None
        old, new = cpart.sigs.tobytes(), wpart.sigs.tobytes()
        if old == new:
            continue
        for start in range(0, len(new), block):
            if old[start:start + block] == new[start:start + block]:
                continue
            first = start // 24
            for i in range(first, min(first + 256, len(wpart.names))):
                sig = (wpart.flat[3 * i], wpart.flat[3 * i + 1], wpart.flat[3 * i + 2])
                if sig == tuple(cpart.sigs[3 * i:3 * i + 3]):
                    continue
                result.touched = True
                rel = f"{wpart.folder}/{wpart.names[i]}"
                part.sigs[3 * i:3 * i + 3] = array("q", sig)
                if _unchanged(content_dir, rel,
                              bytes(cpart.hashes[DIGEST_SIZE * i:DIGEST_SIZE * (i + 1)])):
                    continue  # touched, not changed
                result.pending.append(rel)
                # the hash is filled in when the file is parsed
                part.hashes[DIGEST_SIZE * i:DIGEST_SIZE * (i + 1)] = bytes(DIGEST_SIZE)
    result.files = files if result.touched else cached
    return result


def scan(content_dir: Path, cached_files: dict[str, tuple[Signature, bytes]] | None,
         only: Iterable[str] | None = None, walked: Walk | None = None) -> Scan:
    """Compare the content folder with the cached signatures; parse nothing yet.

    Files whose signature differs are read and hashed; those whose bytes differ too end up
    in ``pending`` for :func:`parse_pending`. ``only`` limits the check to those relative
    paths (a file watcher said which files changed); every other file is taken to be as
    cached. ``walked``: the folder as :func:`walk` just listed it. When nothing differs,
    ``files`` is ``cached_files`` itself (no copy).
    """
    cached_files = cached_files or {}
    result = Scan()
    candidates: list[tuple[str, Signature | None]] = []
    if only is not None:
        for rel in only:
            try:
                st = os.stat(content_dir / rel)
            except OSError:
                candidates.append((rel, None))
                continue
            sig = (st.st_mtime_ns, st.st_size, st.st_ino)
            old = cached_files.get(rel)
            if old is None or old[0] != sig:
                candidates.append((rel, sig))
        if not candidates:
            result.files = cached_files
            return result
        result.files = dict(cached_files)
    else:
        walked = walked or walk(content_dir)
        if isinstance(cached_files, FileTable):
            fast = _fast_scan(content_dir, cached_files, walked)
            if fast is not None:
                return fast
        result.listing = walked.digest
        get = cached_files.get
        count = 0
        for folder, entries in walked.entries:
            prefix = folder + "/"
            count += len(entries)
            for name, mtime, size, inode in entries:
                old = get(prefix + name)
                if old is None or old[0] != (mtime, size, inode):
                    candidates.append((prefix + name, (mtime, size, inode)))
        known = sum(rel in cached_files for rel, _sig in candidates)
        if count - len(candidates) + known == len(cached_files):
            # every cached file is still there: only edits (and additions) to apply
            if not candidates:
                result.files = cached_files
                return result
            result.files = dict(cached_files)
        else:
            rels = {f"{folder}/{name}" for folder, entries in walked.entries
                    for name, *_sig in entries}
            result.files = {rel: sig for rel, sig in cached_files.items() if rel in rels}
            result.removed = cached_files.keys() - rels
            result.touched = True
    for rel, sig in candidates:
        old = cached_files.get(rel)
        result.touched = True
        if sig is None:
            if old is not None:
                result.removed.add(rel)
                result.files.pop(rel, None)
            continue
        if old is not None and _unchanged(content_dir, rel, old[1]):
            result.files[rel] = (sig, old[1])
            continue
        result.pending.append(rel)
        result.files[rel] = (sig, b"")  # hash filled in when parsed
    if only is None and walked is not None and result.files is not cached_files:
        # In the order of the walk, as saved: the next scan can then compare arrays.
        files = result.files
        result.files = {rel: files[rel] for part in walked.parts
                         for rel in (f"{part.folder}/{name}" for name in part.names)
                         if rel in files}
    return result


def parse_pending(result: Scan, content_dir: Path, cached: Corpus | None,
                  meanwhile: Callable[[], object] | None = None) -> None:
    """Parse the files the scan found new or edited; note which records really differ.

    ``meanwhile``: see :func:`parse_many`.
    """
    order = sorted(result.pending, key=lambda r: (FOLDERS.index(r.split("/", 1)[0]), r))
    parsed = parse_many(content_dir, order, meanwhile)
    for rel, (file_hash, record) in parsed.items():
        result.files[rel] = (result.files[rel][0], file_hash)
        if cached is None or _records_of(cached, rel).get(_slug(rel)[1]) != record:
            result.changed.add(rel)
        result.records[rel] = record
    result.pending = []


def _slug(rel: str) -> tuple[str, str]:
    folder, name = rel.split("/", 1)
    return folder, name.rsplit(".", 1)[0]


def _records_of(corpus: Corpus, rel: str) -> Mapping[str, Record]:
    return corpus.authors if rel.startswith(AUTHORS_DIR + "/") else corpus.papers  # type: ignore[return-value]


def corpus_from(records: dict[str, Record], content_dir: Path) -> Corpus:
    """A Corpus in the order ``load_corpus`` builds it; checks references like it."""
    corpus = Corpus()
    for rel in sorted(records):
        folder, slug = _slug(rel)
        if folder == AUTHORS_DIR:
            corpus.authors[slug] = records[rel]  # type: ignore[assignment]
        else:
            corpus.papers[slug] = records[rel]  # type: ignore[assignment]
    check_references(corpus, content_dir)
    return corpus


def slugs_clash(files: Mapping[str, object], rels: Iterable[str]) -> bool:
    """Whether a file of ``rels`` shares its slug with another file (``x.yaml``, ``x.yml``).

    The corpus keeps one record per slug, so adding or removing such a file cannot be
    applied to the previous corpus: the caller reads the folder again instead.
    """
    for rel in rels:
        stem = rel.rsplit(".", 1)[0]
        if sum(f"{stem}{ext}" in files for ext in SUFFIXES) > 1:
            return True
        if rel not in files and any(f"{stem}{ext}" in files for ext in SUFFIXES):
            return True  # removed, while a file of the same slug stays
    return False


def _updated(old: Mapping[str, Record], values: dict[str, Record], removed: set[str],
             order: list[str] | None) -> Mapping[str, Record]:
    if isinstance(old, LazyMap):
        return old.updated(values, removed, order)
    if order is None:
        out = dict(old)
        out.update(values)
        return out
    return {slug: values[slug] if slug in values else old[slug] for slug in order}


def corpus_updated(old: Corpus, records: dict[str, Record], content_dir: Path,
                   removed: Iterable[str] = (), files: Iterable[str] | None = None) -> Corpus:
    """``old`` with some files' records replaced, added (``records``) or ``removed``.

    ``files``: every content file now (relative paths), needed when files were added or
    removed, to keep the order ``corpus_from`` gives. References are checked like
    ``load_corpus`` does, but only for the papers replaced when no file came or went.
    """
    values: dict[str, dict[str, Record]] = {AUTHORS_DIR: {}, PAPERS_DIR: {}}
    gone: dict[str, set[str]] = {AUTHORS_DIR: set(), PAPERS_DIR: set()}
    for rel, record in records.items():
        folder, slug = _slug(rel)
        values[folder][slug] = record
    for rel in removed:
        folder, slug = _slug(rel)
        gone[folder].add(slug)
    orders: dict[str, list[str] | None] = {AUTHORS_DIR: None, PAPERS_DIR: None}
    for folder, maps in ((AUTHORS_DIR, old.authors), (PAPERS_DIR, old.papers)):
        if gone[folder] or not values[folder].keys() <= maps.keys():
            assert files is not None, "files are needed when files come or go"
            orders[folder] = [_slug(rel)[1] for rel in sorted(files)
                              if rel.startswith(folder + "/")]
    corpus = Corpus(
        papers=_updated(old.papers, values[PAPERS_DIR], gone[PAPERS_DIR], orders[PAPERS_DIR]),  # type: ignore[arg-type]
        authors=_updated(old.authors, values[AUTHORS_DIR], gone[AUTHORS_DIR],  # type: ignore[arg-type]
                         orders[AUTHORS_DIR]),
    )
    if orders[PAPERS_DIR] is None and orders[AUTHORS_DIR] is None:
        check_references(Corpus(papers=values[PAPERS_DIR], authors=corpus.authors),  # type: ignore[arg-type]
                         content_dir)
    else:
        check_references(corpus, content_dir)
    return corpus
