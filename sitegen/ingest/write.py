"""Writing content files so that hand edits survive a re-run.

The content folder is both ingest output and hand-edited source. For each file, ingest
keeps the values it generated last time (the *base*) in ``DIR/.ingest/state.json``,
together with the identity -> slug map. A re-run does a per-key three-way merge:

* a key whose current value differs from the base was edited by hand and keeps it;
* a key the user added (unknown to ingest) is kept, a key the user removed stays removed;
* every other key takes the newly ingested value.

List keys that behave as sets (sources, aliases ...) merge item by item, so a hand-added
alias and a newly ingested source both survive. A file deleted by hand is not recreated.
A file whose YAML no longer parses is reported and left untouched. Slugs come from the
state, so a title fixed by hand or a seed added later never renames a file.

Files whose bytes still equal what ingest wrote and generated last time skip parsing,
which keeps a re-run over tens of thousands of files fast.

To get a deleted file back, remove its line from the state file. Without a state file
(deleted, or a folder written by hand), files on disk are adopted by identity and their
current values are kept; ingest then takes over the keys that match what it generates.
"""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.content.slugs import slugify
from sitegen.content.store import yaml_files
from sitegen.content.yamlio import atomic_write, parse_yaml
from sitegen.errors import ContentError, SitegenError
from sitegen.ingest.dump import dump_content

STATE_DIR = ".ingest"
STATE_FILE = "state.json"
STATE_VERSION = 1
MAX_WORKERS = 4
PARALLEL_MIN = 2000  # below this, forking workers costs more than it saves
SET_KEYS = frozenset({"aliases", "affiliations", "abstract_versions", "profiles", "sources"})

Validator = Callable[[Any, str, str, str | None], Any]
Identify = Callable[[dict], str | None]


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


@dataclass
class FileState:
    """What ingest remembers about one generated file."""

    slug: str
    base: dict | None = None  # values generated last time
    digest: str = ""  # sha256 of the bytes last written
    clean: bool = False  # last written bytes were exactly the generated values
    deleted: bool = False

    def to_json(self) -> dict:
        data: dict[str, Any] = {"slug": self.slug, "base": self.base, "digest": self.digest}
        if self.clean:
            data["clean"] = True
        if self.deleted:
            data["deleted"] = True
        return data

    @classmethod
    def from_json(cls, data: Any) -> FileState | None:
        if not isinstance(data, dict) or not isinstance(data.get("slug"), str):
            return None
        base = data.get("base")
        return cls(
            slug=data["slug"],
            base=base if isinstance(base, dict) else None,
            digest=str(data.get("digest", "")),
            clean=bool(data.get("clean", False)),
            deleted=bool(data.get("deleted", False)),
        )


@dataclass
class State:
    """Identity -> file state, per content kind (``papers``, ``authors``)."""

    kinds: dict[str, dict[str, FileState]] = field(default_factory=dict)

    def section(self, kind: str) -> dict[str, FileState]:
        return self.kinds.setdefault(kind, {})

    def to_text(self) -> str:
        """JSON with one file per line: readable diffs in git, and each line goes through
        the C encoder (which an ``indent`` would switch off, at a cost for large sites)."""

        def dumps(value: object) -> str:
            return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

        parts = [f'{{"version":{STATE_VERSION}']
        for kind, entries in sorted(self.kinds.items()):
            lines = [f"{dumps(i)}:{dumps(fs.to_json())}" for i, fs in sorted(entries.items())]
            parts.append(f",\n{dumps(kind)}:{{\n" + ",\n".join(lines) + "\n}")
        return "".join(parts) + "}\n"


def state_path(root: Path) -> Path:
    return root / STATE_DIR / STATE_FILE


def load_state(root: Path) -> tuple[State, str | None]:
    """The saved state, or an empty one with a warning when it is unreadable."""
    path = state_path(root)
    if not path.is_file():
        return State(), None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return State(), f"{path}: unreadable ingest state ({exc}); starting afresh"
    if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
        return State(), f"{path}: unknown ingest state version; starting afresh"
    state = State()
    for kind, entries in data.items():
        if kind == "version" or not isinstance(entries, dict):
            continue
        section = state.section(kind)
        for ident, raw in entries.items():
            fs = FileState.from_json(raw)
            if fs is not None:
                section[ident] = fs
    return state, None


def save_state(root: Path, state: State) -> bool:
    return atomic_write(state_path(root), state.to_text())


def _merge_set(current: list, base: list, new: list) -> list:
    kept = [x for x in current if x in new or x not in base]
    added = [x for x in new if x not in current and x not in base]
    return kept + added


def three_way(current: dict | None, base: dict | None, new: dict) -> dict:
    """Merge one file's mapping: hand edits (current != base) win, else the new value.

    With no base (a file ingest did not write, or state lost) current values win
    wherever they exist: keeping an outdated value beats losing a hand edit.
    """
    if current is None:
        return dict(new)
    result: dict[str, Any] = {}
    keys = list(new) + [k for k in current if k not in new]
    for key in keys:
        in_cur = key in current
        in_base = base is not None and key in base
        if base is None:
            if in_cur:
                result[key] = current[key]
            else:
                result[key] = new[key]
            continue
        if in_cur and in_base:
            cur, old = current[key], base[key]
            if key in new and key in SET_KEYS and all(isinstance(v, list) for v in (cur, old)):
                result[key] = _merge_set(cur, old, new[key])
            elif cur != old or key not in new:
                result[key] = cur
            else:
                result[key] = new[key]
        elif in_cur:
            result[key] = current[key]
        elif not in_base:
            result[key] = new[key]
        # in base, not in current: removed by hand, stays removed
    return result


@dataclass
class Outcome:
    """What happened to one file in this run."""

    slug: str
    status: str  # new, updated, unchanged, kept (hand edits kept), deleted, invalid
    data: dict | None = None  # the file's values after the run (None when deleted/invalid)
    error: SitegenError | None = None
    edited_keys: list[str] = field(default_factory=list)


@dataclass
class _Pending:
    path: str
    data: dict  # what the file will hold
    fs: FileState
    new: dict  # the generated values, the next base
    clean: bool
    outcome: Outcome


def _write_batch(items: list[tuple[str, dict]]) -> list[tuple[bool | None, str]]:
    """Dump and write files; per file ``(changed, digest)`` or ``(None, problem)``.

    A module-level function so worker processes can run it; failures are returned, not
    raised, so the caller knows exactly which files of the batch were written.
    """
    results: list[tuple[bool | None, str]] = []
    for path, data in items:
        raw = dump_content(data).encode("utf-8")
        try:
            changed = atomic_write(path, raw)
        except OSError as exc:
            results.append((None, f"cannot write file: {exc.strerror}"))
            continue
        results.append((changed, _digest(raw)))
    return results


#: The items of the running ``_run_batches``: forked workers inherit them, so only
#: slice bounds travel to a worker (pickling tens of thousands of dicts costs seconds).
_ITEMS: list[tuple[str, dict]] | None = None


def _write_slice(bounds: tuple[int, int]) -> list[tuple[bool | None, str]]:
    assert _ITEMS is not None
    return _write_batch(_ITEMS[bounds[0] : bounds[1]])


def _run_batches(items: list[tuple[str, dict]]) -> list[tuple[bool | None, str]]:
    """Dumping YAML is most of the CPU of a large first ingest: spread it over the cores.

    Everything that exists now (the seeds, the merged papers: a large heap) is frozen
    for the collector meanwhile: dumping makes garbage fast, and each full collection
    would walk that heap again, and in a forked worker copy its pages.
    """
    global _ITEMS
    workers = min(MAX_WORKERS, os.cpu_count() or 1)
    gc.freeze()
    try:
        if len(items) < PARALLEL_MIN or workers < 2:
            return _write_batch(items)
        size = -(-len(items) // (workers * 4))
        bounds = [(i, min(i + size, len(items))) for i in range(0, len(items), size)]
        _ITEMS = items
        try:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                return [r for batch in pool.map(_write_slice, bounds) for r in batch]
        except (OSError, ValueError, BrokenProcessPool):
            # No worker processes here (sandbox, no fork): the same work, in this process.
            # Files a lost worker already wrote hold the same bytes, so rewriting is a no-op.
            return _write_batch(items)
        finally:
            _ITEMS = None
    finally:
        gc.unfreeze()


class ContentSync:
    """Three-way sync of one kind of content file (``papers`` or ``authors``).

    Use: ``allocate`` slugs for every identity, ``plan`` each file, then ``commit``.
    Nothing is written before ``commit``, so a problem found while planning leaves the
    folder as it was.
    """

    def __init__(
        self,
        root: Path,
        kind: str,
        state: State,
        validate: Validator,
        identify: Identify,
    ) -> None:
        self.root = root
        self.kind = kind
        self.folder = root / kind
        self.states = state.section(kind)
        self.validate = validate
        self.identify = identify
        self.existing = {p.stem: p for p in yaml_files(self.folder)}
        self._display_folder = self._folder_display()
        self._folder = str(self.folder)
        self.problems: list[SitegenError] = []
        self._pending: list[_Pending] = []
        self._adopt: dict[str, str] | None = None

    # -- slugs -------------------------------------------------------------------

    def display(self, slug: str) -> str:
        return os.path.join(self._display_folder, f"{slug}.yaml")

    def _folder_display(self) -> str:
        """The folder as messages name it, worked out once (it is asked per file)."""
        try:
            return str(self.folder.relative_to(self.root.parent))
        except ValueError:
            return str(self.folder)

    def _orphans(self, wanted: set[str]) -> dict[str, str]:
        """Files no state entry owns, by the identity they describe (renames, lost state)."""
        owned = {fs.slug for fs in self.states.values()}
        found: dict[str, str] = {}
        for stem, path in sorted(self.existing.items()):
            if stem in owned:
                continue
            try:
                data = parse_yaml(path.read_text(encoding="utf-8"), self.display(stem))
            except (OSError, UnicodeDecodeError, ContentError):
                continue  # reported by load_corpus / build; never touched here
            ident = self.identify(data) if isinstance(data, dict) else None
            if ident in wanted and ident not in found:
                found[ident] = stem
        return found

    def allocate(self, items: Iterable[tuple[str, str]]) -> dict[str, str]:
        """Slug per identity: remembered, adopted from an unowned file, or new.

        ``items`` are ``(identity, text to slugify)``. New slugs avoid every slug in use
        (remembered or on disk) and are given in sorted order, so they are deterministic.
        """
        items = list(items)
        wanted = {ident for ident, _ in items}
        lost = {
            ident
            for ident in wanted
            if ident not in self.states
            or (self.states[ident].slug not in self.existing and not self.states[ident].deleted)
        }
        adopt = self._orphans(lost) if lost else {}
        taken = set(self.existing) | {fs.slug for fs in self.states.values()}
        result: dict[str, str] = {}
        fresh: list[tuple[str, str]] = []
        for ident, text in items:
            if ident in adopt:
                fs = self.states.get(ident)
                if fs is None:
                    self.states[ident] = FileState(slug=adopt[ident])
                else:
                    fs.slug, fs.deleted = adopt[ident], False
                result[ident] = adopt[ident]
            elif ident in self.states:
                result[ident] = self.states[ident].slug
            else:
                fresh.append((slugify(text), ident))
        for base, ident in sorted(fresh):
            slug, n = base, 2
            while slug in taken:
                slug, n = f"{base}-{n}", n + 1
            taken.add(slug)
            result[ident] = slug
            self.states[ident] = FileState(slug=slug)
        return result

    def is_deleted(self, ident: str) -> bool:
        """A file ingest wrote before and the user removed (or removed earlier)."""
        fs = self.states.get(ident)
        if fs is None:
            return False
        return fs.deleted or (fs.base is not None and fs.slug not in self.existing)

    def stale(self, current: Iterable[str]) -> list[str]:
        """Slugs of files ingest wrote earlier for identities no seed produces any more."""
        now = set(current)
        return sorted(
            fs.slug
            for ident, fs in self.states.items()
            if ident not in now and not fs.deleted and fs.slug in self.existing
        )

    # -- planning ----------------------------------------------------------------

    def plan(self, ident: str, new: dict) -> Outcome:
        """Decide one file's new content; the write itself waits for ``commit``.

        The outcome of a planned write says ``new``, ``kept`` or ``pending``; ``commit``
        turns ``pending`` into ``updated`` or ``unchanged``.
        """
        fs = self.states[ident]
        slug = fs.slug
        path = os.path.join(self._folder, f"{slug}.yaml")
        name = self.display(slug)
        if self.is_deleted(ident):
            fs.deleted = True
            return Outcome(slug, "deleted")
        if slug not in self.existing:
            return self._queue(path, new, fs, new, Outcome(slug, "new", new), clean=True)
        try:
            with open(path, "rb") as fh:
                raw = fh.read()
        except OSError as exc:
            err = ContentError(f"cannot read file: {exc.strerror}", file=name)
            return self._invalid(slug, err)
        if fs.clean and fs.base is not None and _digest(raw) == fs.digest:
            if fs.base == new:
                return Outcome(slug, "unchanged", new)  # nothing to do, nothing to dump
            current: dict | None = fs.base
            text_now = None
        else:
            try:
                text_now = raw.decode("utf-8")
                current = parse_yaml(text_now, name)
            except UnicodeDecodeError as exc:
                line = raw[: exc.start].count(b"\n") + 1
                err = ContentError("file is not valid UTF-8", file=name, line=line)
                return self._invalid(slug, err)
            except ContentError as exc:
                return self._invalid(slug, exc)
            if not isinstance(current, dict):
                err = ContentError("expected a mapping of fields; file left as is", file=name)
                return self._invalid(slug, err)
        merged = three_way(current, fs.base, new)
        edited = sorted(k for k in merged if k not in new or merged[k] != new[k])
        try:
            self.validate(merged, slug, name, text_now)
        except ContentError as exc:
            return self._invalid(slug, exc)
        if edited:
            outcome = Outcome(slug, "kept", merged, edited_keys=edited)
        else:
            outcome = Outcome(slug, "pending", merged)
        return self._queue(path, merged, fs, new, outcome, clean=not edited)

    def _invalid(self, slug: str, err: SitegenError) -> Outcome:
        self.problems.append(err)
        return Outcome(slug, "invalid", error=err)

    def _queue(
        self, path: str, data: dict, fs: FileState, new: dict, outcome: Outcome, *, clean: bool
    ) -> Outcome:
        self._pending.append(_Pending(path, data, fs, new, clean, outcome))
        return outcome

    def commit(self) -> int:
        """Write every planned file (atomically, unchanged ones untouched); count writes.

        The state follows each completed write only, so an interrupted run never
        remembers values a file does not hold. A file that cannot be written is a
        problem of this run (reported), not a crash.
        """
        return commit_all([self])

    def _settle(self, pending: list[_Pending], results: list[tuple[bool | None, str]]) -> int:
        written = 0
        for item, (changed, detail) in zip(pending, results, strict=True):
            if changed is None:
                err = ContentError(detail, file=self.display(item.outcome.slug))
                self.problems.append(err)
                item.outcome.status, item.outcome.error = "invalid", err
                continue
            written += int(changed)
            if item.outcome.status == "pending":
                item.outcome.status = "updated" if changed else "unchanged"
            item.fs.base = item.new
            item.fs.clean = item.clean
            item.fs.deleted = False
            item.fs.digest = detail
        return written


def commit_all(syncs: list[ContentSync]) -> int:
    """``commit`` several kinds at once: one pool of workers for all their files."""
    pendings = []
    for sync in syncs:
        pendings.append(sync._pending)
        sync._pending = []
    results = _run_batches([(item.path, item.data) for pending in pendings for item in pending])
    written = 0
    start = 0
    for sync, pending in zip(syncs, pendings, strict=True):
        written += sync._settle(pending, results[start : start + len(pending)])
        start += len(pending)
    return written
