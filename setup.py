"""Packaging hook: ship the top-level ``templates/`` folder in the wheel as ``sitegen/templates``.

The repository keeps the built-in templates at the top level, where site authors look for
them; an installed sitegen finds them next to its code
(``sitegen.render.theme.builtin_templates_dir``). Everything else is declared in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

TEMPLATES = Path(__file__).resolve().parent / "templates"


class BuildWithTemplates(build_py):
    """Copy the built-in templates into the built package, hidden files included."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False) or not TEMPLATES.is_dir():
            return  # an editable install reads templates/ from the checkout itself
        target = Path(self.build_lib) / "sitegen" / "templates"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(
            TEMPLATES, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".DS_Store")
        )


setup(cmdclass={"build_py": BuildWithTemplates})
