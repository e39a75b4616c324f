"""``sitegen serve``: live preview (a thin wrapper over :class:`sitegen.serve.server.Preview`)."""

from __future__ import annotations

from pathlib import Path

import click

from sitegen.cli import cli
from sitegen.commands.options import site_options


@cli.command(name="serve")
@site_options
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 exposes the preview to the network).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a web browser.")
def serve_command(project_dir: Path, content_dir: Path | None, templates_dir: Path | None,
                  out_dir: Path | None, base_url: str | None, host: str, port: int,
                  open_browser: bool) -> int:
    """Build, serve with live reload, and rebuild on every change (Ctrl-C to stop)."""
    from sitegen.serve.engine import Options
    from sitegen.serve.server import Preview

    options = Options(project_dir=project_dir, content_dir=content_dir,
                      templates_dir=templates_dir, out_dir=out_dir, base_url=base_url)
    return Preview(options, host=host, port=port).run(open_browser=open_browser)
