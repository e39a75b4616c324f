"""The build's named steps: config, content, index, plan, render, swap.

:class:`sitegen.incremental.SiteBuilder` runs them, in full or reduced to a change, and
renders on all cores (:mod:`sitegen.parallel`); :func:`build` is a full build that
ignores the cache. The output is always written to a fresh sibling folder and swapped in
at the end: an error anywhere leaves the previous site exactly as it was, and only
folders marked as sitegen output are ever replaced. :func:`prepare` gives everything
needed to render any one page without writing anything.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import TracebackType

import jinja2

from sitegen.config import SiteConfig, load_config
from sitegen.content.store import Corpus, load_corpus
from sitegen.content.yamlio import key_line
from sitegen.errors import BuildError, ContentError, TemplateError
from sitegen.files import current_umask
from sitegen.render.env import make_env
from sitegen.render.index import SiteIndex, build_index, start_index
from sitegen.render.pages import render_page
from sitegen.render.plan import Page, plan_pages
from sitegen.render.theme import theme_dirs

MARKER = ".sitegen-output"
MARKER_TEXT = (
    "This folder is written by `sitegen build`; its contents are replaced on every build.\n"
)
_SLUG_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass
class BuildResult:
    """What a build did, for the CLI summary, benchmarks and deploy."""

    out_dir: Path
    pages_written: int
    assets_written: int
    bytes_written: int
    seconds: float
    papers: int = 0
    authors: int = 0
    steps: dict[str, float] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)  # relative paths, sorted
    pages: list[Page] = field(default_factory=list)  # the plan, for caches and previews


@dataclass
class BuildPaths:
    project_dir: Path
    content_dir: Path
    templates_dir: Path
    out_dir: Path


class _Timer:
    """Records the duration of each named step and reports progress when asked to."""

    def __init__(self, say: Callable[[str], None]) -> None:
        self.say = say
        self.steps: dict[str, float] = {}
        self._start = time.perf_counter()

    def step(self, name: str, started: float, detail: str) -> None:
        took = time.perf_counter() - started
        self.steps[name] = took
        self.say(f"  {name:<8} {detail} ({took * 1000:.0f} ms)")

    @property
    def total(self) -> float:
        return time.perf_counter() - self._start


# -- steps ----------------------------------------------------------------------------------
def resolve_paths(
    project_dir: Path,
    config: SiteConfig,
    content_dir: Path | None,
    templates_dir: Path | None,
    out_dir: Path | None,
) -> BuildPaths:
    """Command-line folders win over ``site.yaml``, which wins over the defaults."""
    return BuildPaths(
        project_dir=project_dir,
        content_dir=content_dir or config.content_dir or project_dir / "content",
        templates_dir=templates_dir or config.templates_dir or project_dir / "templates",
        out_dir=out_dir or config.out_dir or project_dir / "output",
    )


def step_config(project_dir: Path, base_url: str | None) -> SiteConfig:
    config = load_config(project_dir)
    if base_url is not None:
        config = config.with_base_url(base_url)
    return config


def _key_path(key: str) -> tuple[str | int, ...]:
    parts: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", key):
        parts.append(int(index) if index else name)
    return tuple(parts)


def locate(error: ContentError, base: Path) -> ContentError:
    """Add the line number to an error that names a file and key but no line.

    A missing key has no line of its own; it is reported at line 1, where the mapping starts.
    """
    if error.line is None and error.file and error.problem.startswith("missing required key"):
        error.line = 1
        return error
    if error.line is not None or not error.file or not error.key:
        return error
    path = Path(error.file)
    if not path.is_absolute():
        path = base / path
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return error
    error.line = key_line(text, _key_path(error.key))
    return error


def step_content(content_dir: Path) -> Corpus:
    if not content_dir.is_dir():
        raise BuildError(
            "content folder not found (run `sitegen ingest` first, or pass --content)",
            file=str(content_dir),
        )
    try:
        corpus = load_corpus(content_dir)
    except ContentError as exc:
        raise locate(exc, content_dir.parent) from None
    check_slugs(corpus, content_dir)
    return corpus


def check_slugs(corpus: Corpus, content_dir: Path) -> None:
    """A content file's name becomes a URL path segment, so it must be URL-safe as it is."""
    for kind, items in (("papers", corpus.papers), ("authors", corpus.authors)):
        for slug in items:
            if not _SLUG_RE.match(slug):
                raise ContentError(
                    "file name must be letters, digits, '.', '_' or '-' (it becomes a URL)",
                    file=f"{content_dir.name}/{kind}/{slug}.yaml",
                )


def step_index(corpus: Corpus, config: SiteConfig, content_dir: Path) -> SiteIndex:
    try:
        return build_index(corpus, config, content_dir)
    except ContentError as exc:
        raise locate(exc, content_dir.parent) from None


def step_index_start(corpus: Corpus, content_dir: Path) -> SiteIndex:
    """The index's names and credits (``start_index``), errors located like ``step_index``."""
    try:
        return start_index(corpus, content_dir)
    except ContentError as exc:
        raise locate(exc, content_dir.parent) from None


def _template_line(tb: TracebackType | None, dirs: list[Path]) -> tuple[str | None, int | None]:
    """The innermost traceback frame that is a template file (Jinja rewrites frames)."""
    found: tuple[str | None, int | None] = (None, None)
    roots = [str(d) for d in dirs]
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if any(filename.startswith(root) for root in roots):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _render_one(env: jinja2.Environment, index: SiteIndex, config: SiteConfig, page: Page,
                dirs: list[Path]) -> bytes:
    try:
        return render_page(env, index, config, page)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(exc.message or "syntax error", file=exc.filename or exc.name,
                            line=exc.lineno) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template not found (needed for {page.file})",
                            file=exc.name) from None
    except jinja2.TemplateError as exc:
        file, line = _template_line(exc.__traceback__, dirs)
        raise TemplateError(f"{exc.message or exc} (while rendering {page.file})",
                            file=file or page.template, line=line) from None


IO_THREADS = 8  # file-system calls wait on the disk, not the CPU: overlap them


def remove_tree(root: Path, threads: int = IO_THREADS) -> None:
    """Delete a folder sitegen wrote, unlinking in parallel (many small files, slow disks)."""
    folders: list[str] = []
    for dirpath, _dirnames, _filenames in os.walk(root):
        folders.append(dirpath)

    def clear(folder: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if not entry.is_dir(follow_symlinks=False):
                    os.unlink(entry.path)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(clear, folders))
    for folder in reversed(folders):  # children were listed after their parents
        with contextlib.suppress(OSError):
            os.rmdir(folder)
    if root.exists():
        shutil.rmtree(root, ignore_errors=True)


def check_output_dir(out_dir: Path, protected: list[Path]) -> None:
    """Refuse to replace anything that is not a sitegen output folder (or is precious)."""
    if out_dir.is_symlink():
        raise BuildError("output folder is a symbolic link; refusing to replace it",
                         file=str(out_dir))
    if out_dir.exists() and not out_dir.is_dir():
        raise BuildError("output path exists and is not a folder", file=str(out_dir))
    resolved = out_dir.resolve()
    if resolved == Path(resolved.anchor):
        raise BuildError("refusing to use the file system root as output folder",
                         file=str(out_dir))
    for path in protected:
        target = path.resolve()
        if resolved == target or resolved in target.parents:
            raise BuildError(f"output folder would contain {path}; choose another --out",
                             file=str(out_dir))
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / MARKER).is_file():
        raise BuildError(
            f"output folder is not empty and was not created by sitegen (no {MARKER}); "
            "empty it or choose another --out",
            file=str(out_dir),
        )


def make_staging(out_dir: Path) -> Path:
    """A new hidden sibling of ``out_dir`` to build into (same file system: rename works)."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    os.chmod(staging, 0o777 & ~current_umask())
    return staging


def swap_in(staging: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``staging`` with two renames; the old site is then deleted."""
    if not out_dir.exists():
        os.rename(staging, out_dir)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    os.rmdir(old)
    os.rename(out_dir, old)
    try:
        os.rename(staging, out_dir)
    except OSError:
        os.rename(old, out_dir)
        remove_tree(staging)
        raise
    remove_tree(old)


@dataclass
class Site:
    """Everything needed to render any page, without having written anything.

    A preview server keeps one of these and calls ``render_page(site.env, site.index,
    site.config, page)`` on request; ``build`` writes all of ``site.pages``.
    """

    config: SiteConfig
    paths: BuildPaths
    corpus: Corpus
    index: SiteIndex
    pages: list[Page]
    env: jinja2.Environment
    theme_dirs: list[Path]

    def page_for(self, file: str) -> Page | None:
        """The planned page written as ``file`` (``papers/x/index.html``), if any."""
        for page in self.pages:
            if page.file == file:
                return page
        return None

    def render(self, page: Page) -> bytes:
        """One page's bytes, with template errors reported like the build reports them."""
        return _render_one(self.env, self.index, self.config, page, self.theme_dirs)


def prepare(
    project_dir: Path,
    *,
    content_dir: Path | None = None,
    templates_dir: Path | None = None,
    out_dir: Path | None = None,
    base_url: str | None = None,
    timer: _Timer | None = None,
) -> Site:
    """Steps config, content, index, plan and theme; raises SitegenError on bad input."""
    timer = timer or _Timer(lambda _message: None)
    project_dir = Path(project_dir)

    started = time.perf_counter()
    config = step_config(project_dir, base_url)
    paths = resolve_paths(project_dir, config, content_dir, templates_dir, out_dir)
    config = replace(config, content_dir=paths.content_dir, templates_dir=paths.templates_dir,
                     out_dir=paths.out_dir)
    if templates_dir is not None and not templates_dir.is_dir():
        raise BuildError("templates folder not found", file=str(templates_dir))
    timer.say(f"sitegen build: {paths.content_dir} -> {paths.out_dir}")
    timer.step("config", started, f"base URL {config.base.absolute}")

    started = time.perf_counter()
    corpus = step_content(paths.content_dir)
    timer.step("content", started, f"{len(corpus.papers)} papers, {len(corpus.authors)} authors")

    started = time.perf_counter()
    index = step_index(corpus, config, paths.content_dir)
    timer.step("index", started, f"{len(index.years)} years, {len(index.categories)} categories")
    for warning in index.warnings:
        print(f"warning: {warning}", file=sys.stderr, flush=True)

    started = time.perf_counter()
    pages = plan_pages(index, config)
    dirs = theme_dirs(paths.templates_dir)
    try:
        env = make_env(paths.templates_dir)
    except OSError as exc:
        raise TemplateError(f"cannot read theme: {exc.strerror}", file=exc.filename) from None
    timer.step("plan", started, f"{len(pages)} pages")
    return Site(config=config, paths=paths, corpus=corpus, index=index, pages=pages, env=env,
                theme_dirs=dirs)


def build(
    project_dir: Path,
    *,
    content_dir: Path | None = None,
    templates_dir: Path | None = None,
    out_dir: Path | None = None,
    base_url: str | None = None,
    quiet: bool = False,
) -> BuildResult:
    """A full build that neither reads nor writes ``.sitegen-cache/``: every page rendered
    from the content as it is now. Tests hold incremental builds against it. Raises
    SitegenError with file:line:key on bad input."""
    from sitegen.incremental import SiteBuilder  # it builds on the steps of this module

    builder = SiteBuilder(Path(project_dir), content_dir=content_dir,
                          templates_dir=templates_dir, out_dir=out_dir, base_url=base_url,
                          quiet=quiet, use_disk_cache=False)
    return builder.build()
