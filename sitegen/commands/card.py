"""``sitegen card NAME``: print the embed snippets (iframe and web component) for an author."""

from __future__ import annotations

from pathlib import Path

import click

from sitegen.cards.data import HTML_PAPERS, JSON_PAPERS
from sitegen.cards.lookup import project_snippets
from sitegen.cards.snippets import LAYOUTS
from sitegen.cli import cli

UNKNOWN_URL_NOTE = (
    "note: the site's URL is unknown (set url in site.yaml or pass --base-url "
    "https://...); these snippets use path-only URLs that work only on the site itself"
)


@cli.command(name="card")
@click.argument("name", nargs=-1, required=True)
@click.option("--project", "project_dir", default=".", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Project folder (site.yaml).")
@click.option("--content", "content_dir", default=None,
              type=click.Path(file_okay=False, path_type=Path),
              help="Content folder (default: from site.yaml, else content/).")
@click.option("--base-url", default=None, metavar="URL",
              help="Published site address, e.g. https://lab.github.io/site/.")
@click.option("--papers", default=HTML_PAPERS, show_default=True,
              type=click.IntRange(0, JSON_PAPERS), help="Papers the web component shows.")
@click.option("--layout", default="full", show_default=True, type=click.Choice(LAYOUTS),
              help="Web component layout.")
def card_command(
    name: tuple[str, ...],
    project_dir: Path,
    content_dir: Path | None,
    base_url: str | None,
    papers: int,
    layout: str,
) -> int:
    """Print embed snippets for the author NAME (fuzzy: accents, case and typos are forgiven)."""
    snippets = project_snippets(
        project_dir,
        " ".join(name),
        content_dir=content_dir,
        base_url=base_url,
        papers=papers,
        layout=layout,
    )
    if not snippets.absolute:
        click.echo(UNKNOWN_URL_NOTE, err=True)
    click.echo(snippets.text(), nl=False)
    return 0
