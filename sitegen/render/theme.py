"""Where the built-in theme (Jinja templates and ``static/`` assets) lives.

Everything that needs the built-in templates asks this one function, so packaging can
change where they are found without touching the renderer.
"""

from __future__ import annotations

from pathlib import Path


def builtin_templates_dir() -> Path:
    """The built-in theme folder, in an installed package or in a source checkout.

    A wheel carries the theme inside the package (``sitegen/templates``, copied there at
    build time); a checkout, and an editable install of it, keeps it at the repository's top
    level. The packaged copy is asked first: next to an installed package, a top-level
    ``templates/`` would be some other project's folder in site-packages.
    """
    package = Path(__file__).resolve().parent.parent
    packaged = package / "templates"
    if packaged.is_dir():
        return packaged
    return package.parent / "templates"


def theme_dirs(templates_dir: Path | None) -> list[Path]:
    """Site templates first, then the built-in theme; the same folder is listed once.

    Lives here, away from Jinja, so the quick no-change check can hash the theme without
    importing the renderer.
    """
    dirs: list[Path] = []
    for candidate in (templates_dir, builtin_templates_dir()):
        if candidate is None or not candidate.is_dir():
            continue
        resolved = candidate.resolve()
        if resolved not in dirs:
            dirs.append(resolved)
    return dirs
