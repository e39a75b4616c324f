"""The build engine the preview drives, and where the preview finds the built site.

``sitegen.incremental.SiteBuilder`` re-renders only the pages whose dependencies changed.
Where it is not available, a full build stands in (same interface, every page every time).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sitegen.build import BuildResult, build, resolve_paths, step_config
from sitegen.config import CONFIG_FILE, load_config
from sitegen.errors import SitegenError
from sitegen.render.theme import builtin_templates_dir


@dataclass(frozen=True)
class Options:
    """The build options ``sitegen serve`` shares with ``sitegen build``."""

    project_dir: Path
    content_dir: Path | None = None
    templates_dir: Path | None = None
    out_dir: Path | None = None
    base_url: str | None = None


class FullBuilder:
    """Every build is a complete ``sitegen build`` (fallback without the incremental engine)."""

    def __init__(self, options: Options) -> None:
        self.options = options

    def build(self, changed: Iterable[Path] | None = None) -> BuildResult:
        o = self.options
        return build(o.project_dir, content_dir=o.content_dir, templates_dir=o.templates_dir,
                     out_dir=o.out_dir, base_url=o.base_url, quiet=True)

    @property
    def watch_paths(self) -> list[Path]:
        o = self.options
        try:
            config = load_config(o.project_dir)
        except SitegenError:
            config = None
        if config is None:
            content = o.content_dir or o.project_dir / "content"
            templates = o.templates_dir or o.project_dir / "templates"
        else:
            paths = resolve_paths(o.project_dir, config, o.content_dir, o.templates_dir, None)
            content, templates = paths.content_dir, paths.templates_dir
        return [content, templates, builtin_templates_dir(), o.project_dir / CONFIG_FILE]


def make_builder(options: Options) -> object:
    """The incremental engine when present, else full builds."""
    try:
        from sitegen.incremental import SiteBuilder
    except ImportError:
        return FullBuilder(options)
    return SiteBuilder(options.project_dir, content_dir=options.content_dir,
                       templates_dir=options.templates_dir, out_dir=options.out_dir,
                       base_url=options.base_url, quiet=True)


@dataclass(frozen=True)
class Served:
    """Where the built site is and the URL path it is served under."""

    out_dir: Path
    prefix: str


def served_site(options: Options, previous: Served | None = None) -> Served:
    """Read ``site.yaml`` (and ``--base-url``, ``--out``) the way the build does.

    A broken ``site.yaml`` keeps the previous answer (the build reports the error), or falls
    back to the defaults when there is none yet.
    """
    o = options
    try:
        config = step_config(o.project_dir, o.base_url)
    except SitegenError:
        if previous is not None:
            return previous
        return Served(o.out_dir or o.project_dir / "output", "/")
    paths = resolve_paths(o.project_dir, config, o.content_dir, o.templates_dir, o.out_dir)
    return Served(paths.out_dir, config.base.prefix)
