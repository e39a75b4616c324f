"""``owners.yaml``: a hand-written map from seed file name to the listing owner's name.

Listings without a header name nobody; the readers infer the owner from the names that
recur across the listing. When that inference is wrong or impossible (a listing of bare
abstracts), a line in ``owners.yaml`` next to the seeds settles it. The file is small and
hand-edited, so every problem is reported with its line, before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from sitegen.content.yamlio import key_line, parse_yaml, read_text
from sitegen.errors import ContentError, IngestError

OWNERS_FILE = "owners.yaml"


@dataclass(frozen=True)
class OwnerOverride:
    seed: str  # seed file name, as the key in owners.yaml
    name: str
    file: str  # owners.yaml as displayed
    line: int | None


def _duplicate_key(text: str) -> tuple[str, int] | None:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if not isinstance(node, yaml.MappingNode):
        return None
    seen: set[str] = set()
    for knode, _ in node.value:
        if knode.value in seen:
            return knode.value, knode.start_mark.line + 1
        seen.add(knode.value)
    return None


def parse_owners(
    text: str, file: str, seed_names: set[str] | None = None
) -> dict[str, OwnerOverride]:
    """Validate the text of an owners file; ``seed_names`` are the seeds it may name."""
    try:
        data = parse_yaml(text, file)
    except ContentError as exc:
        raise IngestError(exc.problem, file=exc.file, line=exc.line, key=exc.key) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise IngestError(
            "expected a mapping of seed file name to owner name (000_x.txt: Jane Doe)",
            file=file,
            line=1,
        )
    duplicate = _duplicate_key(text)
    if duplicate:
        raise IngestError("seed named twice", file=file, line=duplicate[1], key=duplicate[0])
    result: dict[str, OwnerOverride] = {}
    for seed, name in data.items():
        line = key_line(text, (seed,)) if isinstance(seed, str) else None
        if not isinstance(seed, str) or "/" in seed or "\\" in seed or not seed.strip():
            raise IngestError(
                f"expected a seed file name as key, got {seed!r}", file=file, line=line
            )
        if not isinstance(name, str) or not name.strip():
            raise IngestError(
                "expected the owner's name as a non-empty string", file=file, line=line, key=seed
            )
        if seed_names is not None and seed not in seed_names:
            raise IngestError(
                "no such seed file next to owners.yaml", file=file, line=line, key=seed
            )
        result[seed] = OwnerOverride(seed=seed, name=" ".join(name.split()), file=file, line=line)
    return result


def load_owners(folder: Path, display: str | None = None) -> dict[str, OwnerOverride]:
    """Overrides from ``folder/owners.yaml`` (none when the file is absent)."""
    path = folder / OWNERS_FILE
    name = display or str(path)
    if not path.is_file():
        return {}
    text = read_text(path, name, IngestError)
    seeds = {p.name for p in folder.iterdir() if p.is_file() and p.name != OWNERS_FILE}
    return parse_owners(text, name, seeds)
