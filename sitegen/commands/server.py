"""``sitegen server start|stop|status``: the project's build server (see sitegen.buildserver)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import click

from sitegen.buildserver.wire import BuildOptions
from sitegen.cli import cli
from sitegen.commands.options import project_option, site_options

#: ``status`` exit when no server runs (as an LSB init script's status does).
NOT_RUNNING = 3


@cli.group(name="server")
def server_group() -> None:
    """A build server: later `sitegen build` runs in it, redoing only what changed.

    It keeps the last build in memory and a change journal of the content folder, so a
    build after an edit costs the edit's pages, not a look at every file. It stops by
    itself after an idle time.
    """


def _none_for(project_dir: Path) -> str:
    return f"no build server runs for {os.path.realpath(project_dir)}"


def _describe(status: dict[str, Any]) -> str:
    uptime = time.time() - float(status.get("started") or time.time())
    rss = int(status.get("rss") or 0)
    last = status.get("last_seconds")
    idle = status.get("idle_timeout")
    return (f"  pid {status.get('pid')}, up {uptime:.0f} s, {status.get('builds')} builds"
            + (f", last {last:.2f} s" if isinstance(last, float) else "")
            + f", {rss / 2**20:.0f} MB"
            + (f", stops after {idle / 60:g} min idle" if idle else ""))


@server_group.command(name="start")
@site_options
@click.option("--idle-timeout", "idle_minutes", type=click.FloatRange(min=0), default=60,
              show_default=True, metavar="MINUTES",
              help="Stop after this many minutes without a build (0: never).")
def start_command(project_dir: Path, content_dir: Path | None, templates_dir: Path | None,
                  out_dir: Path | None, base_url: str | None, idle_minutes: float) -> int:
    """Start the project's build server (it makes a first build, then waits)."""
    from sitegen.buildserver import daemon

    options = BuildOptions.of(project_dir, content_dir, templates_dir, out_dir, base_url)
    started = time.perf_counter()
    status, new = daemon.start(options, idle_timeout=idle_minutes * 60)
    if new:
        click.echo(f"build server started for {status.get('project')} "
                   f"in {time.perf_counter() - started:.1f} s; `sitegen build` there now "
                   "runs in it (`sitegen server stop` ends it)")
    else:
        click.echo(f"a build server already runs for {status.get('project')}")
    click.echo(_describe(status))
    if status.get("first_build_error"):
        click.echo(f"warning: its first build failed: {status['first_build_error']} "
                   "(`sitegen build` reports what is still wrong)", err=True)
    return 0


@server_group.command(name="stop")
@project_option
def stop_command(project_dir: Path) -> int:
    """Stop the project's build server."""
    from sitegen.buildserver import daemon

    status = daemon.stop(project_dir)
    if status is None:
        click.echo(_none_for(project_dir))
    else:
        click.echo(f"stopped the build server for {status.get('project')} "
                   f"(pid {status.get('pid')}, {status.get('builds')} builds)")
    return 0


@server_group.command(name="status")
@project_option
def status_command(project_dir: Path) -> int:
    """Say whether a build server runs for the project (exit 3 when none does)."""
    from sitegen.buildserver import daemon

    status = daemon.status(project_dir)
    if status is None:
        click.echo(_none_for(project_dir))
        return NOT_RUNNING
    click.echo(f"a build server runs for {status.get('project')}")
    click.echo(_describe(status))
    return 0
