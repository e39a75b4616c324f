"""``sitegen ingest``: seeds -> content/ YAML."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import click

from sitegen.cli import cli

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime.date:
    if value is None:
        return datetime.date.today()
    try:
        if not _DATE_RE.match(value):
            raise ValueError(value)
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected a date as YYYY-MM-DD, got {value!r}") from None


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--content", "content_dir", default="content", show_default=True,
              help="Content folder to write.")
@click.option("--as-of", "as_of", default=None, metavar="YYYY-MM-DD", callback=_as_of,
              help="Reference date for dates given without a year (default: today).")
def ingest(paths: tuple[str, ...], content_dir: str, as_of: datetime.date) -> int:
    """Read seed files (default: seeds/) and write content/ YAML."""
    from sitegen.ingest.pipeline import ingest as run

    report = run(list(paths), Path(content_dir), as_of)
    for seed in report.seeds:
        for warning in seed.warnings:
            click.echo(f"warning: {seed.path}:{warning.line}: {warning.message}", err=True)
    for line in report.summary_lines():
        click.echo(line)
    for error in report.errors:
        click.echo(f"error: {error}", err=True)
    return 1 if report.failed else 0
