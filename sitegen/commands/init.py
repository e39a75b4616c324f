"""``sitegen init``."""

from __future__ import annotations

import click

from sitegen.cli import cli


@cli.command(name="init", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def init_command(args: tuple[str, ...]) -> int:
    """Not available yet."""
    raise click.ClickException("init is not implemented yet")
