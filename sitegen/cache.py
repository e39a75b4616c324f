"""The build cache in ``<project>/.sitegen-cache/``: safe to delete, never trusted blindly.

Four files, so that the common case (nothing changed) reads only the smallest:

- ``state.bin``: what the inputs looked like at the end of the last build: a hash of the
  content folder's listing (name, size, mtime and inode of every content file, see
  :func:`sitegen.walk.walk`), a hash of site.yaml plus the build options, a hash of the
  theme, and where the output folder was. Loading it and stat-ing the content folder is
  all a no-change build does.
- ``files.bin``: the size, mtime and inode of every content file with a hash of its
  bytes, per folder as arrays in the walk's order (:class:`FileTable`), read when the
  listing differs, to tell which files changed.
- ``site.bin``: the parsed content records, the per-paper and per-author maps of the
  index computed from them, and the table of hashes of the output files, each value its
  own marshal string. An edit that keeps the index's structure appends the values it
  changed; the bytes already there are never rewritten in place.
- ``site.idx``: the small fields of the index and, for every map, its keys and where each
  value lies in site.bin. Always written whole (after site.bin), so it names only bytes
  that are complete.

All are ``marshal`` data of plain tuples, dicts, arrays and strings, not pickles of
objects: a pickle of 75,000 dataclass records took seconds to load. site.bin is mapped
into memory and values are decoded only where a build reads them (:class:`LazyMap`): an
edit to one paper decodes what the pages it renders show, not the whole corpus.

State, file table and site index carry the same random ``generation`` token, and site.idx
names the random identity written at the start of site.bin, so a state from one build is
never paired with the site of another. Any problem reading a file (missing, truncated,
written by another version) reads as "no cache": the build then starts from scratch,
silently.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import functools
import hashlib
import marshal
import mmap
import os
import shutil
import signal
import sys
from array import array
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from xxhash import xxh3_128_digest as _xxh3_128

from sitegen import __version__

CACHE_DIR = ".sitegen-cache"
STATE_FILE = "state.bin"
FILES_FILE = "files.bin"
SITE_FILE = "site.bin"
#: Folders of compiled templates (``sitegen.bytecode``), one per stamp.
TEMPLATES_PREFIX = "templates-"
SITE_INDEX = "site.idx"
#: Files of earlier layouts, removed when the cache is cleared.
OLD_FILES = ("state.pickle", "site.pickle")
#: Bumped whenever the layout of the cached data changes.
FORMAT = 10

#: (mtime_ns, size, inode) of a file: equal signatures mean "not touched since".
Signature = tuple[int, int, int]


DIGEST_SIZE = 16  # bytes of a digest


def digest(data: bytes) -> bytes:
    """A 16-byte content hash, to tell whether a file or an output changed.

    XXH3 rather than a cryptographic hash: it only ever compares a file with an earlier
    version of itself, and a build hashes every byte it writes and reads (about 290 MB
    at 10,000 papers), which SHA-256 took 0.4 s of CPU for and XXH3 takes 0.02 s.
    """
    return _xxh3_128(data)


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
    files: Mapping[str, tuple[Signature, bytes]] | None = field(default_factory=dict)
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
        # Decoded values are those of ``raw``, which both maps share and never change, and
        # a value set in ``_new`` is read before them: the cache of decoded values can be
        # shared, except that it would still answer for removed keys. (Copying it cost
        # 10 ms per map at 50,000 papers, for each edit that moves a paper.)
        out._seen = self._seen if not removed else {
            k: v for k, v in self._seen.items() if k not in removed}
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

    __slots__ = ("_load", "_table", "_changes", "_count", "_source", "_token")

    def __init__(self, load: Callable[[], dict[str, bytes]], count: int,
                 changes: dict[str, bytes] | None = None) -> None:
        self._load = load
        self._table: dict[str, bytes] | None = None
        self._changes = changes or {}
        self._count = count
        self._source: object = None  # the site.bin the table is read from (if any)
        self._token = 0  # where in it

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

    @classmethod
    def of(cls, table: dict[str, bytes]) -> Outputs:
        """A table already read whole (a full build's), shared, never changed here."""
        out = cls(functools.partial(dict, table), len(table))
        out._table = table
        return out

    def updated(self, changes: dict[str, bytes]) -> Outputs:
        """A table with ``changes`` applied (digests of existing files).

        A table read whole already is not copied here either (a build server that read it
        once would copy 225,000 entries on every later edit): the new one copies it when
        it is read whole itself, which a build of a few pages never does.
        """
        if self._table is None:
            load, count = self._load, self._count
        else:
            load, count = functools.partial(dict, self._table), len(self._table)
        out = Outputs(load, count, {**self._changes, **changes})
        out._source, out._token = self._source, self._token
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
                "categories", "category_names", "warnings", "paginate")
#: Per-paper and per-author maps of the index, stored value by value and decoded when
#: read: an edit reads the entries of a few papers and authors out of 75,000.
LAZY_FIELDS = ("hidden", "papers_by_author", "coauthors", "related", "people_of")


class _Tokens:
    """Where each value of a lazy map lies in site.bin: key -> position in ``places``.

    ``keys`` (key -> its number) is shared by the maps that have the same keys in the
    same order, and ``places`` holds ``offset << 32 | length`` per number (an array is
    read from the index file in one copy, where a dict of 50,000 ints was decoded entry by
    entry).
    """

    __slots__ = ("keys", "places")

    def __init__(self, keys: dict[str, int], places: array) -> None:
        self.keys = keys
        self.places = places

    def __getitem__(self, key: str) -> int:
        return self.places[self.keys[key]]


class _Source:
    """site.bin as one load mapped it: turns a token into the bytes of its value."""

    __slots__ = ("bin_id", "mapped", "ident", "base_size")

    def __init__(self, bin_id: bytes, mapped: mmap.mmap, ident: tuple[int, int],
                 base_size: int) -> None:
        self.bin_id = bin_id
        self.mapped = mapped
        self.ident = ident  # (device, inode): an append goes only to this very file
        self.base_size = base_size  # size of site.bin when it was last written whole

    def __call__(self, token: int) -> bytes:
        start = token >> 32
        return self.mapped[start:start + (token & 0xFFFFFFFF)]


#: site.bin starts with this many random bytes, which site.idx names.
BIN_ID = 16
#: Layout of site.bin and site.idx (values appended, header apart).
SITE_LAYOUT = 5
#: An append never makes site.bin larger than this (offsets are 32 bits).
APPEND_LIMIT = 1 << 31


def _site_maps(site: SiteData) -> list[Mapping]:
    index = site.index
    return [site.corpus.papers, site.corpus.authors, index.credits,
            *(getattr(index, name) for name in LAZY_FIELDS), site.listed_by or {}]


_ENCODERS: tuple[Callable[[Any], bytes], ...] = (
    _encode_paper, _encode_author, _encode_credits,
    *(marshal.dumps for _name in LAZY_FIELDS), marshal.dumps)


class _Appender:
    """Writes values at the end of site.bin, remembering where each one went."""

    def __init__(self, fh: BinaryIO, offset: int) -> None:
        self.fh = fh
        self.offset = offset

    def put(self, data: bytes) -> int:
        if self.offset + len(data) >= APPEND_LIMIT or len(data) > 0xFFFFFFFF:
            raise OverflowError("site cache too large")
        self.fh.write(data)
        token = self.offset << 32 | len(data)
        self.offset += len(data)
        return token


class _OrderedKeys:
    """The keys of a map that has the same keys as another but in its own order.

    Lookups go to the other map's key numbers (``base``); the order, kept as numbers, is
    turned into keys only when the map is iterated, which an edit build rarely does.
    """

    __slots__ = ("base", "order", "_dict")

    def __init__(self, base: dict[str, int], order: array) -> None:
        self.base = base
        self.order = order
        self._dict: dict[str, None] | None = None

    def _full(self) -> dict[str, None]:
        if self._dict is None:
            names = list(self.base)
            self._dict = dict.fromkeys([names[i] for i in self.order])
        return self._dict

    def __contains__(self, key: object) -> bool:
        return key in self.base

    def __len__(self) -> int:
        return len(self.base)

    def __iter__(self) -> Iterator[str]:
        return iter(self._full())

    def __getitem__(self, key: str) -> None:
        return self._full()[key]

    def keys(self):  # noqa: ANN201 - a dict's keys view
        return self._full().keys()


KeySet = dict[str, int] | tuple[int, bytes]  # numbered keys, or (base key set, order)


def _key_ref(values: Mapping, keys: Any, keysets: list[KeySet]) -> int:
    """The number of ``values``' key set in ``keysets``, added when new.

    A map with the same keys as an earlier one in another order is stored as that order
    (numbers into the earlier key set), not as keys again.
    """
    def add(entry: KeySet) -> int:
        for i, known in enumerate(keysets):
            if known is entry:
                return i
        keysets.append(entry)
        return len(keysets) - 1

    tokens = values._raw if isinstance(values, LazyMap) else None
    if isinstance(tokens, _Tokens):
        if keys is tokens.keys:
            return add(keys)
        if isinstance(keys, _OrderedKeys) and keys.base is tokens.keys:
            return add((add(keys.base), keys.order.tobytes()))
    listed = list(keys)
    chosen = set(listed)
    for i, known in enumerate(keysets):
        if isinstance(known, dict) and len(known) == len(listed):
            if list(known) == listed:
                return i
            if known.keys() == chosen:
                return add((i, array("Q", [known[k] for k in listed]).tobytes()))
    return add({key: i for i, key in enumerate(listed)})


def _map_places(values: Mapping, encode: Callable[[Any], bytes], out: _Appender,
                source: _Source | None, keysets: list[KeySet],
                shared: dict[int, int]) -> tuple[int, bytes]:
    """(key set number, places as bytes) of one map, its new values written to ``out``.

    Places are in the order of the key set's numbers. Values a map read from ``source``
    and did not change keep their place (an append); all others are encoded and written,
    one at a time.
    """
    keys = values._keys if isinstance(values, LazyMap) else values
    ref = shared.get(id(keys))  # the same object: the same keys (alive until saved)
    if ref is None:
        ref = shared[id(keys)] = _key_ref(values, keys, keysets)
    entry = keysets[ref]
    numbers = entry if isinstance(entry, dict) else keysets[entry[0]]
    assert isinstance(numbers, dict)
    if isinstance(values, LazyMap) and source is not None and values._fetch is source \
            and isinstance(values._raw, _Tokens) and values._raw.keys is numbers:
        places = array("Q", values._raw.places)
        for k, value in values._new.items():
            places[numbers[k]] = out.put(encode(value))
        return ref, places.tobytes()
    places = array("Q", bytes(8 * len(numbers)))
    for key, data in _encoded(values, encode):
        places[numbers[key]] = out.put(data)
    return ref, places.tobytes()


def _appendable(site: SiteData, path: Path) -> _Source | None:
    """The loaded site.bin that ``site`` came from, when new values may go at its end.

    Only when the large maps were all read from that file (an edit that kept the index's
    structure), the file on disk is still that one, and it has not grown past twice its
    size when last written whole (the values replaced since are dead weight).
    """
    maps = _site_maps(site)
    first = maps[0]
    source = first._fetch if isinstance(first, LazyMap) else None
    if not isinstance(source, _Source):
        return None
    if not all(isinstance(m, LazyMap) and m._fetch is source for m in maps):
        return None
    outputs = site.outputs
    if not isinstance(outputs, Outputs) or outputs._source is not source:
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    if (st.st_dev, st.st_ino) != source.ident or st.st_size > 2 * source.base_size + (1 << 20):
        return None
    return source


def _save_site(cache_dir: Path, site: SiteData) -> None:
    """site.bin (values) and site.idx (where they are, and the small fields).

    After an edit that kept the index's structure, only the values that changed are
    appended to site.bin, whose other bytes stay as they are (a reader that mapped the
    file still reads what it read); otherwise both files are written whole. site.idx is
    always replaced whole, atomically, and last: until then the old index describes the
    file, and the values it points at are never overwritten.
    """
    path = cache_dir / SITE_FILE
    source = _appendable(site, path)
    if source is not None:
        try:
            with open(path, "r+b") as fh:
                if fh.read(BIN_ID) != source.bin_id:
                    raise ValueError("site.bin changed")
                out = _Appender(fh, fh.seek(0, os.SEEK_END))
                header = _site_header(site, out, source)
            _dump(cache_dir / SITE_INDEX, marshal.dumps(header))
            return
        except (OSError, ValueError, OverflowError):
            pass  # write it whole instead
    bin_id = os.urandom(BIN_ID)
    headers: list[tuple] = []

    def write(fh: BinaryIO) -> None:
        fh.write(bin_id)
        headers.append(_site_header(site, _Appender(fh, BIN_ID), None, bin_id))

    _dump(path, write)
    _dump(cache_dir / SITE_INDEX, marshal.dumps(headers[0]))


def _site_header(site: SiteData, out: _Appender, source: _Source | None,
                 bin_id: bytes | None = None) -> tuple:
    keysets: list[KeySet] = []
    shared: dict[int, int] = {}
    places = [_map_places(values, encode, out, source, keysets, shared)
              for values, encode in zip(_site_maps(site), _ENCODERS, strict=True)]
    outputs = site.outputs
    if source is not None:
        assert isinstance(outputs, Outputs)
        table, changes = outputs._token, dict(outputs._changes)
        base_size = source.base_size
        bin_id = source.bin_id
    else:
        plain = outputs if isinstance(outputs, dict) else dict(outputs.items())
        table, changes = out.put(marshal.dumps(plain)), {}
        base_size = out.offset
    index = site.index
    return (FORMAT, SITE_LAYOUT, site.generation, bin_id, base_size, keysets, places,
            site.listed_by is not None, tuple(getattr(index, name) for name in INDEX_FIELDS),
            table, changes, len(outputs), site.assets)


def _read_site(path: Path) -> SiteData:
    from sitegen.content.store import Corpus
    from sitegen.render.index import SiteIndex

    with open(path.parent / SITE_INDEX, "rb") as fh:
        header = marshal.loads(fh.read())
    (fmt, layout, generation, bin_id, base_size, keysets, places, has_listed_by, fields,
     table, changes, count, assets) = header
    if fmt != FORMAT or layout != SITE_LAYOUT or len(places) != 4 + len(LAZY_FIELDS):
        raise ValueError("cache format")
    with open(path, "rb") as fh:
        if fh.read(BIN_ID) != bin_id:
            raise ValueError("site.bin does not match site.idx")
        st = os.fstat(fh.fileno())
        mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    source = _Source(bin_id, mapped, (st.st_dev, st.st_ino), base_size)
    resolved: list[tuple[dict[str, int], Any]] = []  # (numbers, keys in map order)
    for entry in keysets:
        if isinstance(entry, dict):
            resolved.append((entry, entry))
        else:
            base = keysets[entry[0]]
            order = array("Q")
            order.frombytes(entry[1])
            if not isinstance(base, dict) or len(order) != len(base):
                raise ValueError("cache format")
            resolved.append((base, _OrderedKeys(base, order)))
    ends = [table]

    def lazy(number: int, data: bytes, decode: Callable[[Any], Any]) -> LazyMap:
        found = array("Q")
        found.frombytes(data)
        numbers, keys = resolved[number]
        if len(found) != len(numbers):
            raise ValueError("cache format")
        if found:
            ends.append(max(found))  # values never overlap: the last one ends last
        return LazyMap(_Tokens(numbers, found), decode, keys=keys, fetch=source)

    decoders = (_decode_paper, _decode_author, _decode_credits,
                *(marshal.loads for _name in LAZY_FIELDS), marshal.loads)
    papers, authors, credits, *maps, listed_by = (
        lazy(number, data, decode) for (number, data), decode in zip(places, decoders,
                                                                     strict=True))
    if any(st.st_size < (token >> 32) + (token & 0xFFFFFFFF) for token in ends):
        raise ValueError("site.bin is shorter than site.idx says")
    outputs = Outputs(lambda: marshal.loads(source(table)), count, changes)
    outputs._source, outputs._token = source, table
    corpus = Corpus(papers=papers, authors=authors)  # type: ignore[arg-type]
    index = SiteIndex(corpus=corpus, credits=credits,  # type: ignore[arg-type]
                      **dict(zip(INDEX_FIELDS, fields, strict=True)),
                      **dict(zip(LAZY_FIELDS, maps, strict=True)))
    return SiteData(generation=generation, corpus=corpus, index=index, outputs=outputs,
                    assets=assets, listed_by=listed_by if has_listed_by else None)


class FileTable(Mapping):
    """rel -> (signature, hash) of every content file, kept as arrays in the order of the walk.

    files.bin stores, per folder, the names (one marshal string, decoded only when asked
    for), a hash of them, the signatures (mtime_ns, size, inode per file, in one array)
    and the 16-byte content hashes. An edit build whose folder listing has the same names
    compares its signatures with the cached array and looks only at the entries that
    differ; a dict of 75,000 entries (most of the cost of reading the old format) is built
    only when some other path asks for one.
    """

    __slots__ = ("parts", "_dict", "_sets")

    def __init__(self, parts: list[FilePart]) -> None:
        self.parts = parts
        self._dict: dict[str, tuple[Signature, bytes]] | None = None
        self._sets: dict[str, dict[str, tuple[FilePart, int]]] = {}

    def _full(self) -> dict[str, tuple[Signature, bytes]]:
        if self._dict is None:
            table: dict[str, tuple[Signature, bytes]] = {}
            for part in self.parts:
                sigs, hashes, prefix = part.sigs, part.hashes, part.folder + "/"
                for i, name in enumerate(part.names):
                    table[prefix + name] = ((sigs[3 * i], sigs[3 * i + 1], sigs[3 * i + 2]),
                                            bytes(hashes[DIGEST_SIZE * i:DIGEST_SIZE * (i + 1)]))
            self._dict = table
        return self._dict

    def _locate(self, rel: str) -> tuple[FilePart, int]:
        folder, _slash, name = rel.partition("/")
        found = self._names_of(folder).get(name)
        if found is None:
            raise KeyError(rel)
        return found

    def _names_of(self, folder: str) -> dict[str, tuple[FilePart, int]]:
        """name -> (part, position) for one folder, built on first use."""
        names = self._sets.get(folder)
        if names is None:
            names = self._sets[folder] = {n: (part, i) for part in self.parts
                                          if part.folder == folder
                                          for i, n in enumerate(part.names)}
        return names

    def __getitem__(self, rel: str) -> tuple[Signature, bytes]:
        if self._dict is not None:
            return self._dict[rel]
        part, i = self._locate(rel)  # one entry: no need for the whole dict
        sigs = part.sigs
        return (sigs[3 * i], sigs[3 * i + 1], sigs[3 * i + 2]), bytes(
            part.hashes[DIGEST_SIZE * i:DIGEST_SIZE * (i + 1)])

    def __iter__(self) -> Iterator[str]:
        return iter(self._full())

    def __len__(self) -> int:
        return sum(len(part.sigs) // 3 for part in self.parts)

    def __contains__(self, rel: object) -> bool:
        if not isinstance(rel, str) or "/" not in rel:
            return False
        folder, name = rel.split("/", 1)
        return name in self._names_of(folder)

    def __setitem__(self, rel: str, value: tuple[Signature, bytes]) -> None:
        """Replace the entry of a file already listed (a new hash, a new signature)."""
        sig, file_hash = value
        part, i = self._locate(rel)  # KeyError: not listed (new files make a dict)
        part.sigs[3 * i:3 * i + 3] = array("q", sig)
        part.hashes[DIGEST_SIZE * i:DIGEST_SIZE * (i + 1)] = _fixed(file_hash)
        if self._dict is not None:
            self._dict[rel] = value

    def copy(self) -> FileTable:
        return FileTable([part.copy() for part in self.parts])


class FilePart:
    """One content folder's files in a :class:`FileTable`."""

    __slots__ = ("folder", "names_digest", "_names", "_blob", "sigs", "hashes")

    def __init__(self, folder: str, names_digest: bytes, names: list[str] | None,
                 blob: bytes | None, sigs: array, hashes: bytearray) -> None:
        self.folder = folder
        self.names_digest = names_digest
        self._names = names
        self._blob = blob
        self.sigs = sigs  # mtime_ns, size, inode of each file, flat
        self.hashes = hashes  # 16 bytes per file

    @property
    def names(self) -> list[str]:
        if self._names is None:
            assert self._blob is not None
            self._names = marshal.loads(self._blob)
        return self._names

    def blob(self) -> bytes:
        if self._blob is None:
            self._blob = marshal.dumps(self._names, 2)
        return self._blob

    def copy(self) -> FilePart:
        return FilePart(self.folder, self.names_digest, self._names, self._blob,
                        array("q", self.sigs), bytearray(self.hashes))


def _fixed(file_hash: bytes) -> bytes:
    """A file's hash as the table stores it: DIGEST_SIZE bytes (b"" = not known yet)."""
    return file_hash.ljust(DIGEST_SIZE, b"\0")[:DIGEST_SIZE]


def names_digest(names: list[str]) -> bytes:
    """Hash of a folder's listing of names, in order (version 2: no reference flags)."""
    return digest(marshal.dumps(names, 2))


def _files_to_plain(files: Mapping[str, tuple[Signature, bytes]]) -> list[tuple]:
    if isinstance(files, FileTable):
        parts = files.parts
    else:
        from sitegen.walk import FOLDERS  # here: sitegen.walk imports this module

        # Grouped by folder, in the table's order (a scan lists files in the walk's order).
        # Every folder the walk lists has its part, empty or not, so that the parts line
        # up with a walk's and an edit can take the quick comparison (``scan._fast_scan``).
        grouped: dict[str, tuple[list[str], array, bytearray]] = {
            folder: ([], array("q"), bytearray()) for folder in FOLDERS}
        for rel, (sig, file_hash) in files.items():
            folder, name = rel.split("/", 1)
            names, sigs, hashes = grouped.setdefault(folder, ([], array("q"), bytearray()))
            names.append(name)
            sigs.extend(sig)
            hashes += _fixed(file_hash)
        parts = [FilePart(folder, names_digest(names), names, None, sigs, hashes)
                 for folder, (names, sigs, hashes) in grouped.items()]
    return [(p.folder, p.names_digest, p.blob(), p.sigs.tobytes(), bytes(p.hashes))
            for p in parts]


def _files_from_parts(plain: list[tuple]) -> FileTable:
    parts = []
    for folder, names_hash, blob, sig_bytes, hashes in plain:
        sigs = array("q")
        sigs.frombytes(sig_bytes)
        if len(hashes) != DIGEST_SIZE * (len(sigs) // 3) or len(sigs) % 3:
            raise ValueError("cache format")
        parts.append(FilePart(folder, names_hash, None, blob, sigs, bytearray(hashes)))
    return FileTable(parts)


def _state_to_plain(state: State) -> tuple:
    return (FORMAT, state.key, state.generation, state.config_hash, state.theme_hash,
            state.out_sig, state.listing)


def _state_from_plain(data: tuple) -> State:
    fmt, key, generation, config_hash, theme_hash, out_sig, listing = data
    if fmt != FORMAT:
        raise ValueError("cache format")
    return State(key=key, generation=generation, files=None, config_hash=config_hash,
                 theme_hash=theme_hash, out_sig=tuple(out_sig), listing=listing)  # type: ignore[arg-type]


#: Layout of files.bin (beside FORMAT): per folder, names, signatures and hashes.
FILES_LAYOUT = 2


def _files_from_plain(data: tuple) -> tuple[str, FileTable]:
    fmt, layout, generation, parts = data
    if fmt != FORMAT or layout != FILES_LAYOUT:
        raise ValueError("cache format")
    return generation, _files_from_parts(parts)


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
            _save_site(cache_dir, site)
        if state.files is not None:
            _dump(cache_dir / FILES_FILE,
                  marshal.dumps((FORMAT, FILES_LAYOUT, state.generation,
                                 _files_to_plain(state.files))))
        _dump(cache_dir / STATE_FILE, marshal.dumps(_state_to_plain(state)))
    except Exception:  # noqa: BLE001 - no cache is better than a failed build
        for name in (STATE_FILE, SITE_INDEX):
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


def saving(cache_dir: Path) -> bool:
    """Whether a background save this process started into ``cache_dir`` still runs."""
    reap(cache_dir)
    return str(cache_dir) in _SAVERS


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


@dataclass
class HeldSave:
    """A save whose lock is taken, so that no reader trusts the cache on disk meanwhile,
    and whose writer is forked later (``start``): a build server answers its client
    first. Until then this process must not touch the cache (its own lock would block)."""

    cache_dir: Path  # as the builder names it (the key of its running saver)
    path: Path  # the same, absolute: the writer may start in another working folder
    state: State
    site: SiteData | None
    fd: int | None

    def start(self) -> None:
        """Fork the writer (it releases the lock when done); idempotent."""
        fd, self.fd = self.fd, None
        if fd is None:
            return
        pid = _fork_write(self.path, fd, self.state, self.site)
        if pid is not None:
            _SAVERS[str(self.cache_dir)] = pid
        self.site = None


def hold_save(cache_dir: Path, state: State, site: SiteData | None) -> HeldSave | None:
    """Take the lock of a background save now and write later (see HeldSave); None when
    the folder cannot be made or locked (the save is then left out, as a failed one)."""
    stop_saver(cache_dir)  # an older build's save: this one supersedes it
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    fd = _lock(cache_dir, fcntl.LOCK_EX)
    return HeldSave(cache_dir, cache_dir.absolute(), state, site, fd) \
        if fd is not None else None


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
    if fd is None:  # pragma: no cover - no locking
        _write(cache_dir, state, site)
        return None
    return _fork_write(cache_dir, fd, state, site)


def _fork_write(cache_dir: Path, fd: int, state: State, site: SiteData | None) -> int | None:
    """Write in a forked child that holds the lock ``fd`` until done; None: done here."""
    if not hasattr(os, "fork"):  # pragma: no cover - no fork
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
        for name in (STATE_FILE, FILES_FILE, SITE_INDEX, SITE_FILE, *OLD_FILES):
            with contextlib.suppress(OSError):
                (cache_dir / name).unlink()
        for folder in cache_dir.glob(TEMPLATES_PREFIX + "*"):
            shutil.rmtree(folder, ignore_errors=True)
    finally:
        _unlock(fd)
