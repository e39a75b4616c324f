"""``sitegen deploy``."""

from __future__ import annotations

import click

from sitegen.cli import cli


@cli.command(name="deploy", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def deploy_command(args: tuple[str, ...]) -> int:
    """Not available yet."""
    raise click.ClickException("deploy is not implemented yet")
