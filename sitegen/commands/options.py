"""Options shared by the commands that build a site (build, serve, deploy)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

F = TypeVar("F", bound=Callable[..., object])
DIRECTORY = click.Path(file_okay=False, path_type=Path)


project_option = click.option("--project", "project_dir", type=DIRECTORY, default=".",
                              show_default=True, help="Project folder (holds site.yaml).")


def site_options(func: F) -> F:
    """``--project --content --templates --out --base-url``, the same help everywhere."""
    decorators = [
        project_option,
        click.option("--content", "content_dir", type=DIRECTORY, default=None,
                     help="Content folder [default: site.yaml 'content', else content/]."),
        click.option("--templates", "templates_dir", type=DIRECTORY, default=None,
                     help="Folder of templates overriding the built-in ones, file by file "
                          "[default: templates/]."),
        click.option("--out", "out_dir", type=DIRECTORY, default=None,
                     help="Output folder [default: site.yaml 'output', else output/]."),
        click.option("--base-url", "base_url", default=None, metavar="URL",
                     help="Where the site is published: /, /lab-site/ or "
                          "https://host/lab-site/."),
    ]
    for decorate in reversed(decorators):
        func = decorate(func)
    return func

