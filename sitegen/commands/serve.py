"""``sitegen serve``."""

from __future__ import annotations

import click

from sitegen.cli import cli


@cli.command(name="serve", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def serve_command(args: tuple[str, ...]) -> int:
    """Not available yet."""
    raise click.ClickException("serve is not implemented yet")
