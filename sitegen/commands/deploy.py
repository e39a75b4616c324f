"""``sitegen deploy``: build, then publish output/ as a commit on the pages branch."""

from __future__ import annotations

from pathlib import Path

import click

from sitegen.cli import cli
from sitegen.config import load_config
from sitegen.deploy import DEFAULT_BRANCH, DEFAULT_REMOTE, check_target, publish


@cli.command(name="deploy")
@click.option("--remote", default=DEFAULT_REMOTE, show_default=True,
              help="Git remote to push to.")
@click.option("--branch", default=DEFAULT_BRANCH, show_default=True,
              help="Branch that holds the published site.")
@click.option("--cname", default=None, metavar="DOMAIN",
              help="Custom domain, written to CNAME on the branch.")
@click.option("--message", default=None, metavar="TEXT",
              help="Commit message (default names the source commit).")
@click.option("--out", "out_dir", default=None, type=click.Path(path_type=Path),
              help="Output folder to build into and publish (default: output/).")
@click.option("--no-build", is_flag=True,
              help="Publish the output folder as it is, without building first.")
def deploy_command(
    remote: str,
    branch: str,
    cname: str | None,
    message: str | None,
    out_dir: Path | None,
    no_build: bool,
) -> int:
    """Build the site and publish it to a GitHub Pages branch.

    Your working tree, index, current branch and other branches are left as they are.
    """
    project = Path.cwd()
    # Repository, remote and branch problems are reported before the build rewrites output/.
    check_target(project, remote=remote, branch=branch, cname=cname)
    if no_build:
        site = out_dir or load_config(project).out_dir or project / "output"
    else:
        # The same incremental, all-cores build as `sitegen build` (imported late: only
        # this path needs the renderer); it keeps .sitegen-cache/ in step with output/.
        from sitegen.incremental import SiteBuilder

        site = SiteBuilder(project, out_dir=out_dir, quiet=False).build().out_dir
    result = publish(project, site, remote=remote, branch=branch, cname=cname, message=message)
    if result.changed:
        click.echo(f"published {result.files} files to {remote}/{branch} at {result.commit[:12]}")
    else:
        click.echo(f"site unchanged; {remote}/{branch} stays at {result.commit[:12]}")
    return 0
