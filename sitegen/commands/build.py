"""``sitegen build``: content/ -> output/ (a thin wrapper over ``SiteBuilder``)."""

from __future__ import annotations

from pathlib import Path

import click

from sitegen.cli import cli
from sitegen.commands.options import site_options


@cli.command(name="build")
@site_options
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("--no-cache", "no_cache", is_flag=True,
              help="Ignore .sitegen-cache/ and build every page (the cache is rewritten).")
@click.option("--no-server", "no_server", is_flag=True,
              help="Build in this process even when a build server runs (sitegen server).")
def build_command(project_dir: Path, content_dir: Path | None, templates_dir: Path | None,
                  out_dir: Path | None, base_url: str | None, quiet: bool,
                  no_cache: bool, no_server: bool) -> int:
    """Build the site from content/ into output/.

    Only what changed since the last build is redone: the cache in .sitegen-cache/ (safe to
    delete) remembers the parsed content and a hash of every output file. When a build
    server runs for the project (`sitegen server start`), the build is done there.
    """
    import time

    started = time.perf_counter()
    if not no_cache and not no_server:
        from sitegen.buildserver.client import delegate
        from sitegen.buildserver.wire import BuildOptions

        code = delegate(BuildOptions.of(project_dir, content_dir, templates_dir, out_dir,
                                        base_url), quiet=quiet)
        if code is not None:
            return code

    from sitegen.freshness import check

    checked = None
    if not no_cache:
        checked = check(project_dir, content_dir=content_dir, templates_dir=templates_dir,
                        out_dir=out_dir, base_url=base_url)
        if checked.fresh:
            if not quiet:
                click.echo(f"nothing changed; the output is up to date "
                           f"({time.perf_counter() - started:.2f} s)")
            return 0

    from sitegen.incremental import SiteBuilder

    builder = SiteBuilder(project_dir, content_dir=content_dir, templates_dir=templates_dir,
                          out_dir=out_dir, base_url=base_url, quiet=quiet)
    if no_cache:
        builder.forget()
    builder.build(checked=checked)  # goes on from what the check found
    return 0
