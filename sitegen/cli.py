"""Command line: a thin layer that parses options, calls the pipeline, and reports errors once."""

from __future__ import annotations

import sys

import click

from sitegen import __version__
from sitegen.errors import SitegenError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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


def _register() -> None:
    """Subcommands live next to what they drive; import them here so the CLI stays thin."""
    from sitegen import commands  # noqa: F401


_register()

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
