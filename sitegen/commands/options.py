"""Options shared by the commands that build a site (build, serve, deploy)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

F = TypeVar("F", bound=Callable[..., object])
DIRECTORY = click.Path(file_okay=False, path_type=Path)


def site_options(func: F) -> F:
    """``--project --content --templates --out --base-url``, the same help everywhere."""
    decorators = [
        click.option("--project", "project_dir", type=DIRECTORY, default=".",
                     show_default=True, help="Project folder (holds site.yaml)."),
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


def build_request(project_dir: Path, content_dir: Path | None, templates_dir: Path | None,
                  out_dir: Path | None, base_url: str | None) -> dict[str, str | None]:
    """The site options as a build server takes them (folders relative to the caller's)."""
    def spelled(path: Path | None) -> str | None:
        return None if path is None else os.fspath(path)

    return {"project_dir": os.fspath(project_dir), "content_dir": spelled(content_dir),
            "templates_dir": spelled(templates_dir), "out_dir": spelled(out_dir),
            "base_url": base_url}
