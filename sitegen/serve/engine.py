"""The build engine the preview drives, and where the preview finds the built site.

``sitegen.incremental.SiteBuilder`` re-renders only the pages whose dependencies changed
(the build's dependency map), so a save costs a few pages, not the whole site.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sitegen.build import resolve_paths, step_config
from sitegen.errors import SitegenError
from sitegen.incremental import SiteBuilder


@dataclass(frozen=True)
class Options:
    """The build options ``sitegen serve`` shares with ``sitegen build``."""

    project_dir: Path
    content_dir: Path | None = None
    templates_dir: Path | None = None
    out_dir: Path | None = None
    base_url: str | None = None


def make_builder(options: Options) -> SiteBuilder:
    """One incremental builder for the whole session (it keeps the last build in memory)."""
    return SiteBuilder(options.project_dir, content_dir=options.content_dir,
                       templates_dir=options.templates_dir, out_dir=options.out_dir,
                       base_url=options.base_url, quiet=True, long_lived=True)


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
