"""``sitegen ingest`` end to end: seed files -> SeedDocs -> papers and authors -> content/.

The steps are separate functions so each can be tested on hand-built records:
``find_seeds`` (paths and owners.yaml), ``read_seeds`` (decode and parse, errors per file),
``resolve_owners``, ``build`` (merge, match abstracts, group people) and ``sync`` (three-way
writes). A seed that cannot be read is reported and skipped; the others are still ingested.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.content.model import Metrics
from sitegen.content.validate import author_from_dict, paper_from_dict
from sitegen.content.yamlio import atomic_write, dump_yaml
from sitegen.errors import IngestError, SitegenError
from sitegen.ingest.identity import People
from sitegen.ingest.match import AbstractIndex, AbstractMatch, match_abstracts
from sitegen.ingest.merge import MergedPaper, MergeResult, merge_entries, title_key
from sitegen.ingest.owners import OWNERS_FILE, OwnerOverride, load_owners
from sitegen.ingest.records import SeedDoc, Shape
from sitegen.ingest.report import IngestReport, Located, SeedReport
from sitegen.ingest.write import ContentSync, Outcome, commit_all, load_state, save_state

DEFAULT_SEEDS = "seeds"
REPORT_FILE = "ingest-report.yaml"


@dataclass
class SeedFile:
    path: Path
    name: str  # file name: the seed's identity in sources and owners.yaml
    display: str  # as given, for messages


@dataclass
class Found:
    files: list[SeedFile] = field(default_factory=list)
    overrides: dict[str, OwnerOverride] = field(default_factory=dict)
    errors: list[SitegenError] = field(default_factory=list)


def _display(path: Path) -> str:
    return path.as_posix()


def find_seeds(paths: Sequence[str | Path]) -> Found:
    """Seed files named or found (``*.txt``, sorted) in the given paths, plus owners.yaml.

    owners.yaml is read from each folder given and from the folder of each file given.
    A bad owners.yaml raises: overriding the wrong owner silently is worse than stopping.
    """
    found = Found()
    seen: dict[str, Path] = {}
    owner_dirs: list[Path] = []
    for given in paths or [DEFAULT_SEEDS]:
        path = Path(given)
        if path.is_dir():
            candidates = sorted(p for p in path.iterdir() if p.suffix == ".txt" and p.is_file())
            owner_dirs.append(path)
            if not candidates:
                found.errors.append(IngestError("no seed files (*.txt) in folder", file=str(given)))
        elif path.is_file():
            candidates = [path]
            owner_dirs.append(path.parent)
        else:
            found.errors.append(IngestError("no such file or folder", file=str(given)))
            continue
        for candidate in candidates:
            display = _display(candidate) if path.is_dir() else str(given)
            previous = seen.get(candidate.name)
            if previous is not None:
                if previous.resolve() != candidate.resolve():
                    found.errors.append(
                        IngestError(
                            f"another seed has the same file name ({previous.as_posix()})",
                            file=display,
                        )
                    )
                continue
            seen[candidate.name] = candidate
            found.files.append(SeedFile(candidate, candidate.name, display))
    done: set[Path] = set()
    for folder in owner_dirs:
        key = folder.resolve()
        if key in done:
            continue
        done.add(key)
        display = _display(folder / OWNERS_FILE)
        for seed, override in load_owners(folder, display).items():
            if seed in seen and seen[seed].resolve().parent == key:
                found.overrides[seed] = override
    return found


def read_seeds(
    files: Iterable[SeedFile], as_of: datetime.date
) -> tuple[list[SeedDoc], list[SitegenError]]:
    """Decode and parse every seed; a file that fails is an error, not the end of the run."""
    from sitegen.ingest.decode import decode_seed
    from sitegen.ingest.readers import parse_seeds

    errors: list[SitegenError] = []
    texts: dict[str, str] = {}
    displays: dict[str, str] = {}
    for seed in files:
        displays[seed.name] = seed.display
        try:
            raw = seed.path.read_bytes()
        except OSError as exc:
            errors.append(IngestError(f"cannot read file: {exc.strerror}", file=seed.display))
            continue
        try:
            texts[seed.name] = decode_seed(raw, seed.name)
        except IngestError as exc:
            errors.append(_relocate(exc, displays))
    docs, parse_errors = parse_seeds(texts, as_of)
    errors.extend(_relocate(e, displays) for e in parse_errors)
    order = {name: i for i, name in enumerate(displays)}
    docs.sort(key=lambda d: order.get(d.source, len(order)))
    errors.sort(key=lambda e: (order.get(_seed_of(e, displays), len(order)), str(e)))
    return docs, errors


def _seed_of(err: SitegenError, displays: dict[str, str]) -> str:
    for name, display in displays.items():
        if err.file in (name, display):
            return name
    return str(err.file)


def _relocate(err: SitegenError, displays: dict[str, str]) -> SitegenError:
    """Readers name a seed by file name; messages name it as the user gave it."""
    if err.file in displays:
        err.file = displays[err.file]
    return err


@dataclass
class Owner:
    name: str
    origin: str  # header, inferred, owners.yaml


def resolve_owners(
    docs: Iterable[SeedDoc], overrides: dict[str, OwnerOverride]
) -> dict[str, Owner]:
    """Effective owner per seed: owners.yaml, else the header, else the readers' inference."""
    owners: dict[str, Owner] = {}
    for doc in docs:
        override = overrides.get(doc.source)
        if override is not None:
            owners[doc.source] = Owner(override.name, OWNERS_FILE)
        elif doc.owner:
            origin = "header" if doc.shape == Shape.PROFILE else "inferred"
            owners[doc.source] = Owner(doc.owner, origin)
    return owners


@dataclass
class Built:
    """Everything ingest generates, before it meets the content folder."""

    merge: MergeResult
    people: People
    owners: dict[str, Owner]
    matches: list[AbstractMatch]
    metrics: dict[str, Metrics]  # person key -> metrics from profile headers
    owner_keys: set[str]  # person keys of profile owners


def _combine_metrics(old: Metrics | None, new: Metrics) -> Metrics:
    if old is None:
        return Metrics(**new.__dict__)
    for key, value in new.__dict__.items():
        if getattr(old, key) is None:
            setattr(old, key, value)
    return old


def build(docs: Sequence[SeedDoc], owners: dict[str, Owner], people: People | None = None) -> Built:
    """Merge entries into papers, attach bare abstracts, group every name into people."""
    owner_names = {source: owner.name for source, owner in owners.items()}
    merge = merge_entries(docs, owner_names)
    bare = [a for doc in docs for a in doc.abstracts]
    matches: list[AbstractMatch] = []
    if bare:
        index = AbstractIndex(
            (paper.key, text)
            for paper in merge.papers.values()
            for text in [paper.abstract, *paper.abstract_versions]
            if text
        )
        matches = match_abstracts(index, bare)
    for match in matches:
        if match.key is None:
            continue
        paper = merge.papers[match.key]
        paper.add_abstract(match.abstract.text)
        paper.add_source(match.abstract.source)
        paper.add_owner(owner_names.get(match.abstract.source))
    order = {doc.source: i for i, doc in enumerate(docs)}
    for paper in merge.papers.values():
        paper.sources.sort(key=lambda s: order.get(s, len(order)))
    people = people or People()
    metrics: dict[str, Metrics] = {}
    owner_keys: set[str] = set()
    for doc in docs:
        for entry in doc.entries:
            people.add_all(entry.authors)
        owner = owners.get(doc.source)
        if owner is not None:
            person = people.add(owner.name)
            owner_keys.add(person.key)
            if not doc.metrics.is_empty():
                metrics[person.key] = _combine_metrics(metrics.get(person.key), doc.metrics)
    return Built(merge, people, owners, matches, metrics, owner_keys)


def _paper_data(paper: MergedPaper, profiles: list[str]) -> dict:
    return {
        "title": paper.title,
        "authors": list(paper.authors),
        "et_al": paper.et_al,
        "date": paper.date,
        "date_inferred": paper.date_inferred,
        "category": paper.category,
        "code": paper.code,
        "score": paper.score,
        "affiliations": list(paper.affiliations),
        "abstract": paper.abstract,
        "abstract_versions": list(paper.abstract_versions),
        "profiles": profiles,
        "sources": list(paper.sources),
    }


def _author_data(name: str, aliases: list[str], profile: bool, metrics: Metrics | None) -> dict:
    return {
        "name": name,
        "aliases": aliases,
        "profile": profile,
        "metrics": metrics.to_dict() if metrics else {},
        "affiliation": "",
        "bio": "",
        "links": [],
    }


def _paper_validator(data, slug, file, text):  # noqa: ANN001 - matches Validator
    return paper_from_dict(data, slug, file, text)


def _author_validator(data, slug, file, text):  # noqa: ANN001
    return author_from_dict(data, slug, file, text)


def sync(built: Built, root: Path, report: IngestReport) -> None:
    """Three-way merge every generated file with the content folder, then write."""
    state, note = load_state(root)
    if note:
        report.notes.append(note)
    people = built.people

    def identify_author(data: dict) -> str | None:
        name = data.get("name")
        return people.key_of(name) if isinstance(name, str) and name.strip() else None

    def identify_paper(data: dict) -> str | None:
        title = data.get("title")
        return title_key(title) if isinstance(title, str) else None

    authors = ContentSync(root, "authors", state, _author_validator, identify_author)
    papers = ContentSync(root, "papers", state, _paper_validator, identify_paper)
    author_slugs = authors.allocate((p.key, p.name) for p in people)
    papers.allocate((p.key, p.title) for p in built.merge.papers.values())

    owner_slug = {
        name: author_slugs[people.key_of(name)]
        for name in {o.name for o in built.owners.values()}
    }
    gone = {author_slugs[k] for k in author_slugs if authors.is_deleted(k)}
    final_names: set[str] = set()
    paper_outcomes: list[Outcome] = []
    author_outcomes: list[Outcome] = []
    for paper in built.merge.papers.values():
        profiles = list(dict.fromkeys(owner_slug[n] for n in paper.owners))
        profiles = [s for s in profiles if s not in gone]
        outcome = papers.plan(paper.key, _paper_data(paper, profiles))
        paper_outcomes.append(outcome)
        if outcome.data and isinstance(outcome.data.get("authors"), list):
            final_names.update(n for n in outcome.data["authors"] if isinstance(n, str))

    # Names typed into a paper by hand still need an author file to resolve to.
    for name in sorted(final_names):
        if name.strip() and not people.knows(name):
            people.add(name, 0)
    author_slugs.update(
        authors.allocate((p.key, p.name) for p in people if p.key not in author_slugs)
    )

    for person in sorted(people, key=lambda p: author_slugs[p.key]):
        data = _author_data(
            person.name,
            person.aliases,
            person.key in built.owner_keys,
            built.metrics.get(person.key),
        )
        author_outcomes.append(authors.plan(person.key, data))

    report.papers = len(built.merge.papers)
    report.authors = len(people)
    for kind, sync_, current in (
        ("papers", papers, built.merge.papers.keys()),
        ("authors", authors, people.by_key.keys()),
    ):
        stale = sync_.stale(current)
        if stale:
            report.notes.append(
                f"{kind}: {len(stale)} file(s) no longer come from any seed, left as they "
                f"are (first: {sync_.display(stale[0])})"
            )
    try:
        commit_all([authors, papers])
    finally:
        save_state(root, state)
    for outcome in author_outcomes:
        _record(report, authors, "authors", outcome)
    for outcome in paper_outcomes:
        _record(report, papers, "papers", outcome)
    for problem in authors.problems + papers.problems:
        report.errors.append(str(problem))


def _record(report: IngestReport, sync_: ContentSync, kind: str, outcome: Outcome) -> None:
    report.count(kind, outcome.status)
    file = sync_.display(outcome.slug)
    if outcome.status == "kept":
        report.hand_edits[file] = outcome.edited_keys
    elif outcome.status == "deleted":
        report.deleted.append(file)


def seed_reports(
    files: Sequence[SeedFile],
    docs: Sequence[SeedDoc],
    errors: Sequence[SitegenError],
    built: Built,
) -> list[SeedReport]:
    by_name = {f.name: f for f in files}
    docs_by = {d.source: d for d in docs}
    failed: dict[str, SitegenError] = {}
    for err in errors:
        for f in files:
            if err.file in (f.display, f.name):
                failed.setdefault(f.name, err)
    several = {p.key for p in built.merge.multi_source}
    paper_of_entry: dict[tuple[str, int], str] = {}
    for paper in built.merge.papers.values():
        for entry in paper.entries:
            paper_of_entry[(entry.source, entry.line)] = paper.key
    reports: list[SeedReport] = []
    for name, seed in by_name.items():
        rep = SeedReport(source=name, path=seed.display)
        doc = docs_by.get(name)
        if doc is None:
            err = failed.get(name)
            rep.error = err.problem if err else "not read"
            reports.append(rep)
            continue
        rep.shape = doc.shape.value
        owner = built.owners.get(name)
        if owner:
            rep.owner, rep.owner_from = owner.name, owner.origin
        rep.entries = len(doc.entries)
        rep.merges = sum(
            1 for e in doc.entries if paper_of_entry.get((e.source, e.line)) in several
        )
        rep.warnings = [Located(i.line, i.message) for i in doc.issues]
        rep.abstracts = len(doc.abstracts)
        owner_sets: list[set[str]] = []
        for match in built.matches:
            if match.abstract.source != name:
                continue
            if match.key is None:
                rep.unmatched.append(Located(match.abstract.line, match.reason))
            else:
                rep.matched += 1
                paper = built.merge.papers[match.key]
                owner_sets.append({o for o in paper.owners if not owner or o != owner.name})
        if owner_sets:
            common = set.intersection(*owner_sets)
            if len(common) == 1:
                rep.likely_owner = common.pop()
        reports.append(rep)
    return reports


def write_report(root: Path, report: IngestReport) -> bool:
    return atomic_write(root / REPORT_FILE, dump_yaml(report.to_dict()))


def ingest_docs(
    docs: Sequence[SeedDoc],
    content: Path,
    as_of: datetime.date,
    *,
    overrides: dict[str, OwnerOverride] | None = None,
    files: Sequence[SeedFile] | None = None,
    errors: Sequence[SitegenError] = (),
) -> IngestReport:
    """The part of ingest after reading: merge, match, write content and the report."""
    if files is None:
        files = [SeedFile(Path(d.source), d.source, d.source) for d in docs]
    owners = resolve_owners(docs, overrides or {})
    built = build(docs, owners)
    report = IngestReport(as_of=as_of.isoformat())
    report.entries = built.merge.entries
    report.papers_in_several_seeds = len(built.merge.multi_source)
    report.seeds = seed_reports(files, docs, errors, built)
    report.errors.extend(str(e) for e in errors)
    sync(built, content, report)
    write_report(content, report)
    return report


def ingest(paths: Sequence[str | Path], content: Path, as_of: datetime.date) -> IngestReport:
    """Run the whole ingest; per-file problems are in ``report.errors``.

    Raises SitegenError only for an invalid owners.yaml: applying the wrong owners is
    worse than stopping. With no readable seed at all, content/ is left untouched.
    """
    found = find_seeds(paths)
    docs, read_errors = read_seeds(found.files, as_of)
    errors: list[SitegenError] = list(found.errors) + read_errors
    if not docs:
        report = IngestReport(as_of=as_of.isoformat())
        report.seeds = seed_reports(found.files, docs, errors, build([], {}))
        report.errors = [str(e) for e in errors] or ["no seed files to ingest"]
        return report
    return ingest_docs(
        docs, content, as_of, overrides=found.overrides, files=found.files, errors=errors
    )
