"""Incremental builds: ``SiteBuilder`` keeps the last build and redoes only what changed.

The first build of a ``SiteBuilder`` is a full build, unless the on-disk cache
(:mod:`sitegen.cache`) describes the current output folder, in which case it continues
from there. Later builds (a preview server calls ``build`` after each save; ``sitegen
build`` makes one call per run) go through the same steps as a full build, each one
reduced to the change:

1. content: stat the content files, parse only new or edited ones (:mod:`sitegen.scan`);
2. index: rebuilt only when the change can alter it (names, dates, titles, categories,
   who is credited); an edit to an abstract or a bio reuses the previous index;
3. plan: the pages whose inputs differ, from the page dependencies (:mod:`sitegen.depmap`);
4. render those pages, compare each with the hash of what is on disk, and write only the
   files whose bytes differ, each atomically; delete pages that no longer exist.

A change to ``site.yaml``, the build options or the theme renders every page into a fresh
folder that is swapped in, like ``sitegen build`` always did. Any error leaves the output
folder and the cache as they were; the next build retries the same change.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2

from sitegen import cache as cachemod
from sitegen import depmap, freshness, parallel, scan
from sitegen.build import (
    MARKER,
    MARKER_TEXT,
    BuildResult,
    _render_one,
    _Timer,
    check_output_dir,
    check_slugs,
    locate,
    make_staging,
    step_index,
    swap_in,
)
from sitegen.config import CONFIG_FILE, SiteConfig, load_config
from sitegen.content.names import is_content_name
from sitegen.content.store import AUTHORS_DIR, PAPERS_DIR, Corpus
from sitegen.errors import BuildError, ContentError, SitegenError, TemplateError
from sitegen.files import atomic_write
from sitegen.render.env import TEMPLATE_TYPES, env_assets, make_env
from sitegen.render.index import SiteIndex, paper_order
from sitegen.render.index_update import UPDATE_LIMIT, IndexDelta, update_index
from sitegen.render.pages import abstract_text, cards
from sitegen.render.plan import Page, plan_pages
from sitegen.render.theme import builtin_templates_dir
from sitegen.render.urls import Urls

#: Index-relevant fields of a paper and an author: a change elsewhere keeps the index.
#: (A paper's title also orders papers: :func:`_structural` checks it on its own.)
PAPER_STRUCTURE = ("authors", "date", "category", "profiles")
AUTHOR_STRUCTURE = ("name", "aliases", "profile")
#: Site-wide render memo entries an incremental build carries over: the compiled macros
#: (same theme), and the letters of the A-Z list of authors (kept with that list).
SITE_MEMO = ("macros", "env", "author-letters")
#: Paper cards ``SiteBuilder.warm_cards`` renders between two looks at the clock.
WARM_STEP = 20
#: Output files from which a one-off build leaves writing the cache to a child process.
DETACHED_SAVE_MIN = 20_000


@dataclass
class IncrementalResult(BuildResult):
    """A BuildResult that also says which output files this build wrote and deleted."""

    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    mode: str = "full"  # full | incremental | unchanged


@dataclass
class _Previous:
    """The last successful build, in memory."""

    state: cachemod.State
    site: cachemod.SiteData | None  # None until needed (loaded lazily from disk)
    env: jinja2.Environment | None = None  # templates compiled once per theme
    env_theme: bytes = b""
    urls: Urls | None = None  # the base URL it was built for (None: not known)


def _without_memo(index: SiteIndex) -> SiteIndex:
    return replace(index, memo={}, paper_memo={})


def _rel_in(path: Path, root: Path) -> str | None:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return None


class SiteBuilder:
    """Builds a project's site again and again, each time redoing only what changed."""

    def __init__(self, project_dir: Path, *, content_dir: Path | None = None,
                 templates_dir: Path | None = None, out_dir: Path | None = None,
                 base_url: str | None = None, quiet: bool = True,
                 use_disk_cache: bool = True, long_lived: bool = False) -> None:
        self.project_dir = Path(project_dir)
        self.content_dir = content_dir
        self.templates_dir = templates_dir
        self.out_dir = out_dir
        self.base_url = base_url
        self.quiet = quiet
        self.use_disk_cache = use_disk_cache
        # A preview or a build server: every cache save is a child this process waits
        # for (reaps), never one left to outlive it as a one-shot build does.
        self.long_lived = long_lived
        self.cache_dir = self.project_dir / cachemod.CACHE_DIR
        self._prev: _Previous | None = None
        self._retired: _Previous | None = None  # the build before the last, until release()
        self._builds = 0  # successful builds so far: later cache saves go to the background
        self._warming: tuple[SiteIndex, int] | None = None  # warm_cards: how far
        # A long-lived builder's cache save: locked by the build, written from ``release``
        # (or the next call that reads the cache), after a build server has answered.
        self._held: cachemod.HeldSave | None = None
        self._freeze_due = False  # gc.freeze() of the last build, also left to release()

    # -- public ------------------------------------------------------------------------
    @property
    def watch_paths(self) -> list[Path]:
        """What a watcher should watch: content, site templates, built-in theme, site.yaml."""
        content = self.content_dir or self.project_dir / "content"
        templates = self.templates_dir or self.project_dir / "templates"
        with contextlib.suppress(SitegenError):
            config = load_config(self.project_dir)
            content = self.content_dir or config.content_dir or content
            templates = self.templates_dir or config.templates_dir or templates
        return [content, templates, builtin_templates_dir(), self.project_dir / CONFIG_FILE]

    def forget(self) -> None:
        """Drop what earlier builds left, in memory and on disk: the next build is full."""
        self._start_save()
        self._prev = None
        cachemod.clear(self.cache_dir)

    def continues_disk_cache(self) -> bool:
        """Whether the cache on disk is still the one this builder's memory goes on from.

        A long-lived builder (the build server) is not alone: ``sitegen build --no-server``
        may have built meanwhile, or someone deleted the cache. Its memory then describes
        an older output, and a list of changed files on top of it would be wrong.
        """
        if self._prev is None:
            return False
        if not self.use_disk_cache or self._held is not None:
            return True  # (a held save: this builder has held the cache's lock since)
        if cachemod.saving(self.cache_dir):
            # This builder's last save still runs, and it took the cache's lock before this
            # builder's build returned: nobody else can have written the cache since.
            return True
        state = cachemod.load_state(self.cache_dir, self._prev.state.key)
        return state is not None and state.generation == self._prev.state.generation

    def warm_up(self) -> None:
        """Load what an incremental build reads on top of the last one: the site data, the
        theme's compiled templates, the modules rendering imports on first use.

        A build server calls this once after its first build, so that the first build a
        user asks for is as quick as every later one.
        """
        self._start_save()
        prev = self._prev
        if prev is None:
            return
        _import_lazy_modules()
        import sitegen.render.pages  # noqa: F401 - what an incremental render goes through

        if self.use_disk_cache and cachemod.load_files(self.cache_dir, prev.state):
            # A build given the changed files copies the table as a dict: make it once.
            prev.state.files = dict(prev.state.files)
        self._site(prev)
        with contextlib.suppress(SitegenError):
            inputs = freshness.read_inputs(self.project_dir, self.content_dir,
                                           self.templates_dir, self.out_dir, self.base_url)
            if prev.env is None or prev.env_theme != inputs.theme_hash:
                prev.env = self._env(prev, inputs.theme_hash, inputs.templates_dir)
                prev.env_theme = inputs.theme_hash

    def warm_cards(self, budget: float) -> bool:
        """Render, for about ``budget`` seconds, paper cards the last build has not
        rendered; whether some are left. A build server calls this while it waits.

        A listing part shows 100 cards; a paper added or moved shifts every part after
        it, and each card never rendered costs about 0.1 ms. Rendered ahead, newest first
        (the parts edits reach most), a part costs 0.7 ms instead of 10 ms.
        """
        prev = self._prev
        if prev is None or prev.site is None or prev.env is None or prev.urls is None:
            return False
        index, urls = prev.site.index, prev.urls
        done = self._warming[1] if self._warming and self._warming[0] is index else 0
        order = index.all_papers
        deadline = time.perf_counter() + budget
        try:
            while done < len(order) and time.perf_counter() < deadline:
                cards(prev.env, index, urls, order[done:done + WARM_STEP])
                done += WARM_STEP
        except (SitegenError, jinja2.TemplateError):
            done = len(order)  # the build that shows such a card says what is wrong
        self._warming = (index, done)
        if done < len(order):
            return True
        gc.collect(0)
        gc.freeze()  # out of the collector's reach, as after a build
        return False

    def release(self) -> None:
        """Free the build before the last one (see ``_build``), write the cache and move
        the last build out of the collector's reach: any time after a build, best once
        its outcome has been told (a build server's client, a preview's browser)."""
        self._retired = None
        self._start_save()
        if self._freeze_due:
            # What the builder keeps (records, index, hashes: millions of objects, no
            # cycles) moves out of the collector's reach; walking it on every full
            # collection cost about 0.1 s per rebuild at 50,000 papers. The collector was
            # paused during the build: collecting the youngest generation first frees its
            # garbage cycles instead of freezing them for good.
            self._freeze_due = False
            gc.collect(0)
            gc.freeze()

    def _start_save(self) -> None:
        held, self._held = self._held, None
        if held is not None:
            held.start()

    def drop_memory(self) -> None:
        """Forget the last build in memory (the disk cache stays): the next build looks."""
        self._prev = None

    def build(self, changed: Iterable[Path] | None = None, *,
              checked: freshness.Check | None = None) -> IncrementalResult:
        """Bring the output folder up to date; raises SitegenError on bad input.

        ``changed`` None: find the changes by looking (stat, then hash). Paths given: only
        those are looked at (a watcher knows what it saw); the theme and ``site.yaml`` are
        hashed on every call either way, being small. ``checked``: what
        :func:`sitegen.freshness.check` found just before, with these same options; the
        first build of this builder starts from it rather than looking again.
        """
        timer = _Timer(self._say)
        self._start_save()  # the last build's, if nothing released it
        cachemod.reap(self.cache_dir)
        if self._prev is not None or self._builds:
            checked = None
        try:
            with parallel.gc_paused():
                result = self._build(changed, timer, checked)
            if self._builds:
                self._freeze_due = True  # a long-lived builder: see release()
                if not self.long_lived:
                    self.release()
            self._builds += 1
            return result
        except OSError as exc:
            raise BuildError(f"cannot write output: {exc.strerror}",
                             file=str(exc.filename or self.out_dir)) from None

    # -- steps -------------------------------------------------------------------------
    def _say(self, message: str) -> None:
        if not self.quiet:
            print(message, file=sys.stdout, flush=True)

    def _build(self, changed: Iterable[Path] | None, timer: _Timer,
               checked: freshness.Check | None) -> IncrementalResult:
        started = time.perf_counter()
        if checked is not None:
            inputs = checked.inputs
        else:
            inputs = freshness.read_inputs(self.project_dir, self.content_dir,
                                           self.templates_dir, self.out_dir, self.base_url)
        config, paths, dirs = inputs.config, inputs, inputs.dirs
        key, config_hash, theme_hash = inputs.key, inputs.config_hash, inputs.theme_hash
        self._say(f"sitegen build: {paths.content_dir} -> {paths.out_dir}")
        protected = [paths.project_dir, paths.content_dir, paths.templates_dir,
                     builtin_templates_dir(), Path.cwd()]
        check_output_dir(paths.out_dir, protected)
        timer.step("config", started, f"base URL {config.base.absolute}")

        if not paths.content_dir.is_dir():
            raise BuildError(
                "content folder not found (run `sitegen ingest` first, or pass --content)",
                file=str(paths.content_dir),
            )

        in_memory = self._prev is not None and self._prev.state.key == key
        if checked is not None and checked.state is not None and checked.state.key == key:
            self._prev = _Previous(state=checked.state, site=None)  # as the check read it
        prev = self._previous(key)
        if prev is not None and freshness.marker_sig(paths.out_dir) != prev.state.out_sig:
            prev = None  # the output folder is not the one the cache describes
        # A watcher's list of changed files is trusted only on top of a build this builder
        # made itself; a cache from disk may predate changes the watcher never saw.
        only = self._only(changed, paths.content_dir) if prev is not None and in_memory else None

        # 1. content: what changed since the last build (stat, then hash)
        started = time.perf_counter()
        if prev is not None and not cachemod.load_files(self.cache_dir, prev.state):
            prev = None
        if checked is not None and checked.found is not None and prev is not None \
                and prev.state is checked.state:
            found = checked.found
        else:
            found = scan.scan(paths.content_dir, prev.state.files if prev else None, only)
        if prev is not None and freshness.unchanged(inputs, prev.state, found):
            listing = found.listing if only is None else prev.state.listing
            if found.touched or listing != prev.state.listing:
                prev.state.files = found.files
                prev.state.listing = listing
                self._save(prev.state, None)
            self._prev = prev  # checked against the whole folder: later builds go on from it
            prev.urls = Urls(config.base)
            timer.step("content", started, "nothing changed")
            return self._result(paths.out_dir, timer, mode="unchanged")

        site = self._site(prev) if prev is not None else None
        came = [rel for rel in found.pending if rel not in prev.state.files] \
            if prev is not None and prev.state.files is not None and not found.same_names \
            else []
        if site is not None and scan.slugs_clash(found.files, [*found.removed, *came]):
            site = None  # x.yaml and x.yml: read the folder again, as a cold build does
        if prev is not None and site is None:
            prev = None  # the large half of the cache is unusable: start from scratch
            found = scan.scan(paths.content_dir, None)
        env = self._env(prev, theme_hash, paths.templates_dir)
        try:
            scan.parse_pending(found, paths.content_dir, site.corpus if site else None,
                               meanwhile=lambda: _prepare_render(env))
            if site is not None:
                corpus = scan.corpus_updated(site.corpus, found.records, paths.content_dir,
                                             found.removed, found.files)
            else:
                corpus = scan.corpus_from(found.records, paths.content_dir)
        except ContentError as exc:
            raise locate(exc, paths.content_dir.parent) from None
        # Only new files can bring a slug that is not URL-safe.
        check_slugs(_added(site.corpus, corpus, found) if site is not None else corpus,
                    paths.content_dir)
        timer.step("content", started, f"{len(corpus.papers)} papers, "
                   f"{len(corpus.authors)} authors, {len(found.changed)} changed, "
                   f"{len(found.removed)} removed")

        state = cachemod.State(key=key, generation=cachemod.new_generation(),
                               files=found.files, config_hash=config_hash,
                               theme_hash=theme_hash, listing=found.listing)
        full = (site is None or prev is None or prev.state.config_hash != config_hash
                or prev.state.theme_hash != theme_hash)
        if full:
            result, data = self._full(config, paths.out_dir, corpus, env, dirs, site,
                                      state, protected, timer)
        else:
            assert site is not None
            result, data = self._incremental(config, paths.out_dir, corpus, found, env,
                                             dirs, site, state, timer)
        # The build it replaces is kept until ``release``: freeing it (after an edit shown
        # on a 50,000-paper listing, a million decoded objects) took 0.2 s, which a build
        # server can spend after it has answered.
        self._retired = self._prev
        self._prev = _Previous(state=state, site=data, env=env, env_theme=theme_hash,
                               urls=Urls(config.base))
        if self.use_disk_cache:
            from sitegen.bytecode import flush

            flush(env)  # compiled templates: kept only once the build has succeeded
        return result

    def _only(self, changed: Iterable[Path] | None, content_dir: Path) -> list[str] | None:
        """Changed paths inside the content folder, as the scanner names them."""
        if changed is None:
            return None
        out: list[str] = []
        for path in changed:
            rel = _rel_in(Path(path), content_dir)
            if rel is None or "/" not in rel:
                if rel is not None:
                    return None  # the folders themselves changed: look at everything
                continue
            folder, name = rel.split("/", 1)
            if folder in (AUTHORS_DIR, PAPERS_DIR) and "/" not in name \
                    and is_content_name(name):
                out.append(rel)
            elif folder in (AUTHORS_DIR, PAPERS_DIR) and "/" not in name:
                continue  # editor droppings
            else:
                return None
        return out

    def _previous(self, key: str) -> _Previous | None:
        if self._prev is not None and self._prev.state.key == key:
            return self._prev
        self._prev = None
        if not self.use_disk_cache:
            return None
        cachemod.wait_for_saver(self.cache_dir)
        state = cachemod.load_state(self.cache_dir, key)
        return _Previous(state=state, site=None) if state is not None else None

    def _site(self, prev: _Previous) -> cachemod.SiteData | None:
        if prev.site is None and self.use_disk_cache:
            prev.site = cachemod.load_site(self.cache_dir, prev.state)
            if prev.site is not None and prev.site.listed_by is not None:
                depmap.remember_listed_by(prev.site.index.related, prev.site.listed_by)
        return prev.site

    def _env(self, prev: _Previous | None, theme_hash: bytes,
             templates_dir: Path) -> jinja2.Environment:
        if prev is not None and prev.env is not None and prev.env_theme == theme_hash:
            return prev.env
        try:
            env = make_env(templates_dir)
        except OSError as exc:
            raise TemplateError(f"cannot read theme: {exc.strerror}",
                                file=exc.filename) from None
        if self.use_disk_cache:
            from sitegen.bytecode import attach

            attach(env, self.cache_dir)
        return env

    def _save(self, state: cachemod.State, site: cachemod.SiteData | None) -> None:
        if not self.use_disk_cache:
            return
        if site is not None and self.long_lived:
            self._start_save()
            self._held = cachemod.hold_save(self.cache_dir, state, site)
            return
        if site is not None and self._builds:
            cachemod.save_in_background(self.cache_dir, state, site)  # a preview goes on
        elif site is not None and len(site.outputs) >= DETACHED_SAVE_MIN:
            # The output is complete: let a child write the (large) cache while this
            # process returns; the next build's read of the cache waits for it.
            cachemod.save_detached(self.cache_dir, state, site)
        else:
            cachemod.save(self.cache_dir, state, site)

    def _result(self, out_dir: Path, timer: _Timer, *, mode: str, written: list[str] = (),
                deleted: list[str] = (), pages: list[Page] | None = None,
                corpus: Corpus | None = None, size: int = 0, assets: int = 0,
                ) -> IncrementalResult:
        result = IncrementalResult(
            out_dir=out_dir,
            pages_written=len(pages or []) if mode == "full" else len(written),
            assets_written=assets, bytes_written=size, seconds=timer.total,
            papers=len(corpus.papers) if corpus else 0,
            authors=len(corpus.authors) if corpus else 0, steps=dict(timer.steps),
            files=sorted(written), pages=pages or [], written=sorted(written),
            deleted=sorted(deleted), mode=mode,
        )
        if mode == "unchanged":
            self._say(f"nothing changed; {out_dir} is up to date ({result.seconds:.2f} s)")
        elif mode == "full":
            self._say(f"wrote {len(pages or [])} pages and {assets} assets to {out_dir} "
                      f"in {result.seconds:.2f} s")
        else:
            self._say(f"updated {len(result.written)} files and deleted "
                      f"{len(result.deleted)} in {out_dir} in {result.seconds:.2f} s")
        return result

    # -- full build ----------------------------------------------------------------------
    @parallel.gc_paused()  # the build makes no cycles worth a collection (see gc_paused)
    def _full(self, config: SiteConfig, out_dir: Path, corpus: Corpus,
              env: jinja2.Environment, dirs: list[Path],
              old: cachemod.SiteData | None, state: cachemod.State, protected: list[Path],
              timer: _Timer) -> tuple[IncrementalResult, cachemod.SiteData]:
        from sitegen.build import step_index_start
        from sitegen.render.index import complete_index

        started = time.perf_counter()
        index = step_index_start(corpus, config.content_dir or out_dir)
        # Paper cards read only names and credits: a forked child renders them while this
        # process completes the index and plans the pages, then helps finish them.
        warming = _warm_cards(env, index, config)
        try:
            complete_index(index, config)
            timer.step("index", started,
                       f"{len(index.years)} years, {len(index.categories)} categories")
            for warning in index.warnings:
                print(f"warning: {warning}", file=sys.stderr, flush=True)
            started = time.perf_counter()
            pages = plan_pages(index, config)
            timer.step("plan", started, f"{len(pages)} pages")

            started = time.perf_counter()
            for part in warming.finish():
                for slug, entries in part.items():
                    index.memo_of(slug).update(entries)
        except BaseException:
            warming.close()
            raise
        timer.step("cards", started, f"{len(index.corpus.papers)} paper cards")

        started = time.perf_counter()
        staging = make_staging(out_dir)
        try:
            rendered = parallel.render_to(
                str(staging), pages, lambda page: _render_one(env, index, config, page, dirs))
            assets = env_assets(env).files
            folders: set[str] = {""}
            root_fd = parallel.open_folder(str(staging))
            try:
                for rel, data in sorted(assets.items()):
                    parallel._write(root_fd, rel, data, folders)
                    rendered.outputs[rel] = cachemod.digest(data)
                    rendered.bytes += len(data)
                parallel._write(root_fd, MARKER, MARKER_TEXT.encode("utf-8"), folders)
            finally:
                os.close(root_fd)
        except BaseException:
            _remove(staging)
            raise
        timer.step("render", started,
                   f"{len(rendered.outputs)} files, {rendered.bytes // 1024} KiB")

        started = time.perf_counter()
        try:
            check_output_dir(out_dir, protected)  # again: it may have changed meanwhile
            swap_in(staging, out_dir)
        except (SitegenError, OSError) as exc:
            _remove(staging)
            if isinstance(exc, OSError):
                raise BuildError(f"cannot replace output folder: {exc.strerror}",
                                 file=str(out_dir)) from None
            raise
        timer.step("swap", started, str(out_dir))

        before = old.outputs if old is not None else {}
        written = [f for f, h in rendered.outputs.items() if before.get(f) != h]
        deleted = [f for f in before if f not in rendered.outputs]
        started = time.perf_counter()
        state.out_sig = freshness.marker_sig(out_dir)
        data = cachemod.SiteData(
            generation=state.generation, corpus=corpus, index=index,
            listed_by=depmap.listed_by(index.related),
            outputs=rendered.outputs, assets=sorted(assets))
        self._save(state, _for_disk(data))
        timer.step("cache", started, str(self.cache_dir))
        return self._result(out_dir, timer, mode="full", written=written, deleted=deleted,
                            pages=pages, corpus=corpus, size=rendered.bytes,
                            assets=len(assets)), data

    # -- incremental build -------------------------------------------------------------
    def _incremental(self, config: SiteConfig, out_dir: Path, corpus: Corpus,
                     found: scan.Scan, env: jinja2.Environment,
                     dirs: list[Path], old: cachemod.SiteData, state: cachemod.State,
                     timer: _Timer) -> tuple[IncrementalResult, cachemod.SiteData]:
        started = time.perf_counter()
        old_index: SiteIndex = old.index
        papers, authors = _changed_slugs(old.corpus, corpus, found)
        structure = _structural(old_index, corpus, papers, authors)
        delta: IndexDelta | None = None
        if structure == "rebuilt":
            index = step_index(corpus, config, config.content_dir or out_dir)
        elif structure == "updated":
            try:
                index, delta = update_index(old_index, corpus, papers,
                                            config.content_dir or out_dir)
            except ContentError as exc:
                raise locate(exc, (config.content_dir or out_dir).parent) from None
            depmap.listed_by_updated(old_index.related, index.related, delta.related)
        else:
            index = replace(old_index, corpus=corpus, memo={}, paper_memo={},
                            warnings=list(old_index.warnings))
        timer.step("index", started, structure)
        for warning in index.warnings:
            print(f"warning: {warning}", file=sys.stderr, flush=True)

        started = time.perf_counter()
        urls = Urls(config.base)
        change = depmap.diff(old_index, index, urls, papers, authors, delta)
        # An index kept or updated for a few papers: the pages to render are made directly
        # (new ones included), and the pages that went are those of removed papers and
        # of years or categories left empty. Otherwise the whole plan is compared.
        pages = None if structure != "rebuilt" else plan_pages(index, config)
        _carry_memo(old_index, index, change.cards | change.papers)
        todo = depmap.affected_pages(old_index, index, change, config.recent, urls, pages,
                                     None if pages is None else set(old.outputs))
        total = len(old.outputs) if pages is None else len(pages)
        gone, grew = depmap.plan_change(old_index, index, urls, delta) \
            if delta is not None else ([], False)
        timer.step("plan", started, f"{len(todo)} of {total} pages to render")

        started = time.perf_counter()
        pending: dict[str, bytes] = {}
        digests: dict[str, bytes] = {}
        for page in todo:
            data = _render_one(env, index, config, page, dirs)
            digests[page.file] = cachemod.digest(data)
            # Compared with the file itself, not the cached hash: the table of hashes is
            # not read on this path, and a page removed or edited by hand comes back.
            if not _same_file(out_dir / page.file, data):
                pending[page.file] = data
        assets = set(old.assets)
        deleted: list[str] = []
        if pages is not None:
            new_files = {p.file for p in pages}
            deleted = sorted(f for f in old.outputs
                             if f not in new_files and f not in assets and f != MARKER)
        else:
            deleted = sorted(p.file for p in gone)
        outputs = _outputs_updated(old.outputs, digests, deleted, grew=grew)
        timer.step("render", started, f"{len(todo)} rendered, {len(pending)} differ")

        started = time.perf_counter()
        if self.use_disk_cache and (pending or deleted):
            cachemod.invalidate(self.cache_dir)
        try:
            size = _write_in_place(out_dir, pending)
            for f in deleted:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(out_dir / f)
                _prune_dirs(out_dir, f)
        except OSError:
            # Some files may be new and some old: only a full build can be trusted now.
            self._prev = None
            cachemod.clear(self.cache_dir)
            raise
        timer.step("write", started, f"{len(pending)} written, {len(deleted)} deleted")

        started = time.perf_counter()
        state.out_sig = freshness.marker_sig(out_dir)
        data = cachemod.SiteData(
            generation=state.generation, corpus=corpus, index=index,
            listed_by=depmap.listed_by(index.related),
            outputs=outputs, assets=sorted(assets))
        self._save(state, _for_disk(data))
        timer.step("cache", started, str(self.cache_dir))
        return self._result(out_dir, timer, mode="incremental", written=sorted(pending),
                            deleted=deleted, pages=todo, corpus=corpus, size=size), data


# -- helpers -------------------------------------------------------------------------------
def _for_disk(site: cachemod.SiteData) -> cachemod.SiteData:
    """The cached form: without the render memo (compiled template code is not data)."""
    return replace(site, index=_without_memo(site.index))


def _added(old: Corpus, new: Corpus, found: scan.Scan) -> Corpus:
    """The records of files new since ``old`` (the only slugs not checked before)."""
    added = Corpus()
    for rel in found.records:
        folder, slug = rel.split("/", 1)[0], rel.split("/", 1)[1].rsplit(".", 1)[0]
        if folder == AUTHORS_DIR and slug not in old.authors:
            added.authors[slug] = new.authors[slug]
        elif folder == PAPERS_DIR and slug not in old.papers:
            added.papers[slug] = new.papers[slug]
    return added


def _changed_slugs(old: Corpus, new: Corpus, found: scan.Scan) -> tuple[set[str], set[str]]:
    """Slugs whose record differs, from the files the scan found changed or removed."""
    papers: set[str] = set()
    authors: set[str] = set()
    for rel in (*found.changed, *found.removed):
        folder, name = rel.split("/", 1)
        slug = name.rsplit(".", 1)[0]
        if folder == AUTHORS_DIR:
            if old.authors.get(slug) != new.authors.get(slug):
                authors.add(slug)
        elif old.papers.get(slug) != new.papers.get(slug):
            papers.add(slug)
    return papers, authors


def _structural(old_index: SiteIndex, new: Corpus, papers: set[str],
                authors: set[str]) -> str:
    """What the change does to the index: "kept", "updated" (papers moved) or "rebuilt".

    Record-only edits (an abstract, a bio) keep it. A title is read by the index only to
    order papers (newest first, then by title): a new title that leaves the paper between
    the same neighbours keeps it too. A paper whose date, category or people changed, or
    that came or went, is moved in the index's lists (:mod:`sitegen.render.index_update`);
    rebuilding the index instead cost about 1.5 s at 50,000 papers. Author files that
    change names, aliases or profiles, and edits to many papers at once, rebuild it.
    """
    old = old_index.corpus
    if _fields_changed(old.authors, new.authors, authors, AUTHOR_STRUCTURE):
        return "rebuilt"
    if _fields_changed(old.papers, new.papers, papers, PAPER_STRUCTURE):
        return "updated" if len(papers) <= UPDATE_LIMIT else "rebuilt"
    retitled = [s for s in papers if old.papers[s].title != new.papers[s].title]
    if not retitled or _keeps_order(list(old_index.all_papers), new, retitled):
        return "kept"
    return "updated" if len(papers) <= UPDATE_LIMIT else "rebuilt"


def _keeps_order(order: list[str], new: Corpus, slugs: list[str]) -> bool:
    """Whether ``order`` (sorted by :func:`paper_order`) stays sorted with the new records
    of ``slugs``: each of them still sorts between its neighbours. Pairs of two other
    papers did not change, so checking these pairs checks every adjacent pair."""
    papers = new.papers
    last = len(order) - 1
    for slug in slugs:
        i = order.index(slug)
        key = paper_order(papers[slug])
        if i > 0 and not paper_order(papers[order[i - 1]]) < key:
            return False
        if i < last and not key < paper_order(papers[order[i + 1]]):
            return False
    return True


def _fields_changed(old: Mapping[str, object], new: Mapping[str, object], slugs: set[str],
                    fields: tuple[str, ...]) -> bool:
    """Whether any of ``slugs`` was added, removed, or differs in one of ``fields``."""
    for slug in slugs:
        a, b = old.get(slug), new.get(slug)
        if a is None or b is None:
            return True
        if any(getattr(a, f) != getattr(b, f) for f in fields):
            return True
    return False


def _warm_cards(env: jinja2.Environment, index: SiteIndex,
                config: SiteConfig) -> parallel.WarmUp:
    """Start rendering every paper card once, in parallel, before the pages that show them.

    ``index`` may be only started (``start_index``): a slice of cards that reads more than
    names and credits fails with IndexPending in the child and is rendered again by
    ``finish``, which the caller calls once the index is complete.
    """
    from sitegen.render.index import IndexPending

    urls = Urls(config.base)

    def warm(slugs: list[str]) -> dict:
        try:
            for slug in slugs:
                cards(env, index, urls, [slug])
                # The abstract as plain text too: the paper's page and the feeds that
                # show it (often in another render worker) find it ready instead of each
                # parsing the abstract and converting its math again. Right after the
                # card, whose code link may have parsed it: the parse is still cached.
                abstract_text(index, slug)
        except (SitegenError, jinja2.TemplateError):
            return {}  # the page that shows the card reports the error in plan order
        memo = index.paper_memo
        return {slug: memo[slug] for slug in slugs if slug in memo}

    return parallel.WarmUp(sorted(index.corpus.papers), warm, retry=(IndexPending,))


def _prepare_render(env: jinja2.Environment) -> None:
    """What rendering needs ready, prepared while a parallel parse runs: the other parse
    worker takes over this process's share meanwhile, and the processes forked later
    (card warm-up, render workers) inherit it instead of each doing it again."""
    _import_lazy_modules()
    _compile_templates(env)


def _compile_templates(env: jinja2.Environment) -> None:
    """Compile every template of the theme (errors are left to the page that uses it)."""
    def is_template(name: str) -> bool:
        return not name.startswith("static/") and name.rsplit(".", 1)[-1] in TEMPLATE_TYPES

    with contextlib.suppress(jinja2.TemplateError, OSError):
        names = env.list_templates(filter_func=is_template)
        for name in names:
            with contextlib.suppress(jinja2.TemplateError, OSError, UnicodeDecodeError):
                env.get_template(name)


def _import_lazy_modules() -> None:
    """Import what rendering imports on first use, while a parallel parse runs.

    The MathML converter takes a tenth of a second to import; imported on first use, the
    process that warms cards and this one each paid for it, in the middle of the build.
    Imported here, the other parse worker takes over this process's share meanwhile, and
    the processes forked later inherit the modules. (Markdown for author bios likewise.)
    """
    import importlib

    # used by sitegen.render.latex and sitegen.render.markdown
    for name in ("latex2mathml.converter", "markdown_it"):
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def _carry_memo(old: SiteIndex, new: SiteIndex, changed: set[str]) -> None:
    """Reuse rendered cards of unchanged papers (same theme, same data: same HTML).

    Entries the new index computed itself (while diffing) are kept; the entries of changed
    papers and site-wide entries other than ``SITE_MEMO`` are left behind. The
    per-paper memo is carried as one dict of papers, whatever the number of entries: once
    every card had been rendered, carrying them entry by entry cost 0.07 s per build.
    """
    carried = old.paper_memo.copy()
    for slug in changed:
        carried.pop(slug, None)
    for slug, entries in new.paper_memo.items():
        kept = carried.get(slug)
        carried[slug] = {**kept, **entries} if kept else entries
    new.paper_memo = carried
    site = {k: v for k, v in old.memo.items() if k[0] in SITE_MEMO}
    site.update(new.memo)  # what the new index computed itself wins
    new.memo = site


def _same_file(path: Path, data: bytes) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(data) + 1) == data
    except OSError:
        return False


def _outputs_updated(old: Mapping[str, bytes], digests: dict[str, bytes],
                     deleted: list[str], *, grew: bool = False) -> Mapping[str, bytes]:
    """The table of output digests after a build; ``grew``: it may have new files.

    Without new or deleted files the table is not copied: an edit after a full build in
    the same process (a build server's first build) copied its 225,000 entries each time.
    """
    if not deleted and not grew and isinstance(old, cachemod.Outputs | dict):
        return (old if isinstance(old, cachemod.Outputs) else
                cachemod.Outputs.of(old)).updated(digests)
    table = dict(old.items())
    table.update(digests)
    for f in deleted:
        table.pop(f, None)
    return table


def _write_in_place(out_dir: Path, files: dict[str, bytes]) -> int:
    """Replace each file atomically; the caller only passes files whose bytes changed."""
    for rel, data in sorted(files.items()):
        atomic_write(out_dir / rel, data, skip_unchanged=False)
    return sum(len(data) for data in files.values())


def _prune_dirs(out_dir: Path, rel: str) -> None:
    """Remove folders a deleted page leaves empty (``papers/x/``)."""
    parent = (out_dir / rel).parent
    while parent != out_dir and out_dir in parent.parents:
        try:
            parent.rmdir()
        except OSError:
            return
        parent = parent.parent


def _remove(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)
