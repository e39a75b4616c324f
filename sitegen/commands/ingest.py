"""``sitegen ingest``: seeds -> content/ YAML."""

from __future__ import annotations

import click

from sitegen.cli import cli


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--content", "content_dir", default="content", show_default=True,
              help="Content folder to write.")
@click.option("--as-of", "as_of", default=None, metavar="YYYY-MM-DD",
              help="Reference date for dates given without a year (default: today).")
def ingest(paths: tuple[str, ...], content_dir: str, as_of: str | None) -> int:
    """Read seed files (default: seeds/) and write content/ YAML."""
    raise click.ClickException("ingest is not implemented yet")
