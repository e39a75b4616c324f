"""Which file names in a content folder are content files: one rule for every reader.

The build's listing (:mod:`sitegen.walk`), the loader, the incremental builder's list of
changed files and the build server's change journal must agree, or an edit one of them
ignores would be built by another. Kept free of imports: the no-change check reads it.
"""

from __future__ import annotations

#: Extensions of content files (both are read; ``x.yaml`` beside ``x.yml`` is an error).
SUFFIXES = (".yaml", ".yml")


def is_content_name(name: str) -> bool:
    """A YAML file that is not hidden (editors' swap and backup files start with a dot
    or end otherwise)."""
    return not name.startswith(".") and name.endswith(SUFFIXES)
