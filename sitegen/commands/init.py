"""``sitegen init``: scaffold a new site folder."""

from __future__ import annotations

from pathlib import Path

import click

from sitegen.cli import cli
from sitegen.scaffold import DEFAULT_BASE_URL, DEFAULT_TITLE, init_site


@cli.command(name="init")
@click.argument("directory", default=".", type=click.Path(path_type=Path))
@click.option("--title", default=DEFAULT_TITLE, show_default=True, help="Site title.")
@click.option("--base-url", default=DEFAULT_BASE_URL, show_default=True,
              help="Where the site is published: /, /repo-name/ or a full URL.")
def init_command(directory: Path, title: str, base_url: str) -> int:
    """Create a new site in DIRECTORY (default: the current folder).

    Existing files are never overwritten: if any file init would create is already there,
    nothing is written.
    """
    result = init_site(directory, title=title, base_url=base_url)
    for rel in result.files:
        click.echo(f"created {directory / rel}")
    where = "" if directory == Path(".") else f"cd {directory} && "
    click.echo(
        "\nnext: copy listing dumps into seeds/ (*.txt), then run\n"
        f"  {where}sitegen ingest && sitegen build"
    )
    return 0
