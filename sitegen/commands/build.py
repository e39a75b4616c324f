"""``sitegen build``: content/ -> output/ (a thin wrapper over :func:`sitegen.build.build`)."""

from __future__ import annotations

from pathlib import Path

import click

from sitegen.cli import cli

_DIR = click.Path(file_okay=False, path_type=Path)


@cli.command(name="build")
@click.option("--project", "project_dir", type=_DIR, default=".", show_default=True,
              help="Project folder (holds site.yaml).")
@click.option("--content", "content_dir", type=_DIR, default=None,
              help="Content folder [default: site.yaml 'content', else content/].")
@click.option("--templates", "templates_dir", type=_DIR, default=None,
              help="Folder of templates overriding the built-in ones, file by file "
                   "[default: templates/].")
@click.option("--out", "out_dir", type=_DIR, default=None,
              help="Output folder [default: site.yaml 'output', else output/].")
@click.option("--base-url", "base_url", default=None, metavar="URL",
              help="Where the site is published: /, /lab-site/ or https://host/lab-site/.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("--no-cache", "no_cache", is_flag=True,
              help="Ignore .sitegen-cache/ and build every page (the cache is rewritten).")
def build_command(project_dir: Path, content_dir: Path | None, templates_dir: Path | None,
                  out_dir: Path | None, base_url: str | None, quiet: bool,
                  no_cache: bool) -> int:
    """Build the site from content/ into output/.

    Only what changed since the last build is redone: the cache in .sitegen-cache/ (safe to
    delete) remembers the parsed content and a hash of every output file.
    """
    import time

    from sitegen.freshness import up_to_date

    started = time.perf_counter()
    if not no_cache and up_to_date(project_dir, content_dir=content_dir,
                                   templates_dir=templates_dir, out_dir=out_dir,
                                   base_url=base_url):
        if not quiet:
            click.echo(f"nothing changed; the output is up to date "
                       f"({time.perf_counter() - started:.2f} s)")
        return 0

    from sitegen.incremental import SiteBuilder

    builder = SiteBuilder(project_dir, content_dir=content_dir, templates_dir=templates_dir,
                          out_dir=out_dir, base_url=base_url, quiet=quiet)
    if no_cache:
        builder.forget()
    builder.build()
    return 0
