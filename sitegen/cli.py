"""Command line: a thin layer that parses options, calls the pipeline, and reports errors once."""

from __future__ import annotations

import importlib
import os
import sys

import click

from sitegen import __version__
from sitegen.commands import COMMANDS
from sitegen.errors import SitegenError


class _LazyGroup(click.Group):
    """Imports a subcommand's module when that command is asked for.

    ``sitegen build`` with nothing to do should cost Python's start-up and a stat per
    content file; importing every command (and through them Jinja, the card matcher and
    the deploy client) cost more than the check itself.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | COMMANDS.keys())

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            importlib.import_module(f"sitegen.commands.{COMMANDS[cmd_name]}")
        return super().get_command(ctx, cmd_name)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sitegen")
def cli() -> None:
    """Build researcher portfolio sites from paper-listing dumps."""


def main(argv: list[str] | None = None) -> int:
    """Entry point: every SitegenError becomes ``file:line: key: problem`` and exit 1."""
    try:
        result = cli.main(args=argv, prog_name="sitegen", standalone_mode=False)
    except SitegenError as exc:
        click.echo(f"error: {exc}", err=True)
        return 1
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    return result if isinstance(result, int) else 0


def console() -> None:
    """The ``sitegen`` executable: ``main``, then an exit that skips freeing the heap.

    After a full build of a large site the process holds millions of objects; letting the
    interpreter free them one by one took half a second at 10,000 papers, after the work
    was done. Output is flushed and background cache saves are waited for first, which is
    all the interpreter's own exit would have done for sitegen.
    """
    code = main()
    cache = sys.modules.get("sitegen.cache")
    if cache is not None:
        cache.wait_for_savers()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            code = code or 1  # e.g. stdout was a pipe closed early: say so in the status
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    # ``python -m sitegen.cli``: this file runs as ``__main__``, but the commands attach
    # themselves to ``sitegen.cli.cli``, so run that module's entry point.
    from sitegen.cli import console as _console

    _console()
