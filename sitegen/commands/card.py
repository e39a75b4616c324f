"""``sitegen card``."""

from __future__ import annotations

import click

from sitegen.cli import cli


@cli.command(name="card", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def card_command(args: tuple[str, ...]) -> int:
    """Not available yet."""
    raise click.ClickException("card is not implemented yet")
