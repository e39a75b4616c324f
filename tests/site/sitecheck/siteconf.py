"""What ``site.yaml`` says about where the site is published, for mapping absolute URLs."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import yaml


def public_roots(project: Path, prefix: str) -> tuple[str, ...]:
    """Absolute site roots pages may use for their own URLs (``https://host/prefix/``)."""
    file = project / "site.yaml"
    if not file.is_file():
        return ()
    data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    origins = set()
    for key in ("url", "base_url"):
        value = data.get(key)
        if isinstance(value, str) and urlsplit(value).netloc:
            parts = urlsplit(value)
            origins.add(f"{parts.scheme}://{parts.netloc}")
    return tuple(sorted(origin + prefix for origin in origins))
