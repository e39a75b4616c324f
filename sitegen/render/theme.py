"""Where the built-in theme (Jinja templates and ``static/`` assets) lives.

Everything that needs the built-in templates asks this one function, so packaging can
change where they are found without touching the renderer.
"""

from __future__ import annotations

from pathlib import Path


def builtin_templates_dir() -> Path:
    """The built-in theme folder: the repository's top-level ``templates/``."""
    return Path(__file__).resolve().parent.parent.parent / "templates"
