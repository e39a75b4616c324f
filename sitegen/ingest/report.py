"""What an ingest run found and did, per seed and overall.

The same record is printed as a short summary and written as ``DIR/ingest-report.yaml``.
It carries no timestamps, absolute paths or per-run write counts (those are printed
only), so an unchanged run rewrites nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

STATUSES = ("new", "updated", "unchanged", "kept", "deleted", "invalid")


@dataclass
class Located:
    """A message tied to a line of a seed (a warning, or an unmatched abstract)."""

    line: int
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "message": self.message}


@dataclass
class SeedReport:
    source: str  # seed file name
    path: str  # as given on the command line (for messages)
    shape: str = ""
    owner: str | None = None
    owner_from: str = ""  # header, inferred, owners.yaml
    entries: int = 0
    merges: int = 0  # entries whose paper also appears in another seed
    abstracts: int = 0  # bare abstracts in the seed
    matched: int = 0
    unmatched: list[Located] = field(default_factory=list)
    likely_owner: str | None = None
    warnings: list[Located] = field(default_factory=list)
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"path": self.path}
        if self.error:
            data["error"] = self.error
            return data
        data.update(
            {
                "shape": self.shape,
                "owner": self.owner,
                "owner_from": self.owner_from or None,
                "entries": self.entries,
                "merges": self.merges,
            }
        )
        if self.abstracts:
            data["abstracts"] = self.abstracts
            data["matched"] = self.matched
            data["likely_owner"] = self.likely_owner
        data["unmatched"] = [u.to_dict() for u in self.unmatched]
        data["warnings"] = [w.to_dict() for w in self.warnings]
        return data

    def summary_lines(self) -> list[str]:
        lines = [self.summary()]
        for item in self.unmatched:
            lines.append(f"  {self.path}:{item.line}: abstract not attached: {item.message}")
        return lines

    def summary(self) -> str:
        if self.error:
            return f"{self.path}: error: {self.error}"
        owner = f"{self.owner} ({self.owner_from})" if self.owner else "no owner"
        parts = [f"{self.shape}", owner]
        if self.abstracts:
            parts.append(f"{self.matched}/{self.abstracts} abstracts matched")
            if self.likely_owner:
                parts.append(f"likely owner {self.likely_owner}")
        else:
            parts.append(f"{self.entries} entries, {self.merges} merged")
        parts.append(f"{len(self.unmatched)} unmatched")
        parts.append(f"{len(self.warnings)} warnings")
        return f"{self.path}: " + ", ".join(parts)


@dataclass
class IngestReport:
    as_of: str
    seeds: list[SeedReport] = field(default_factory=list)
    entries: int = 0
    papers: int = 0
    papers_in_several_seeds: int = 0
    authors: int = 0
    files: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> status -> count
    hand_edits: dict[str, list[str]] = field(default_factory=dict)  # file -> keys kept
    deleted: list[str] = field(default_factory=list)  # files deleted by hand, not recreated
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def count(self, kind: str, status: str) -> None:
        counts = self.files.setdefault(kind, dict.fromkeys(STATUSES, 0))
        counts[status] += 1

    @property
    def failed(self) -> bool:
        return bool(self.errors)

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of,
            "totals": {
                "entries": self.entries,
                "papers": self.papers,
                "papers_in_several_seeds": self.papers_in_several_seeds,
                "authors": self.authors,
            },
            "seeds": {s.source: s.to_dict() for s in self.seeds},
            "hand_edits": {f: list(k) for f, k in sorted(self.hand_edits.items())},
            "deleted_by_hand": sorted(self.deleted),
            "notes": list(self.notes),
            "errors": list(self.errors),
        }

    def summary_lines(self) -> list[str]:
        lines = [line for s in self.seeds for line in s.summary_lines()]
        lines.append(
            f"{self.entries} entries -> {self.papers} papers "
            f"({self.papers_in_several_seeds} in several seeds), {self.authors} authors"
        )
        for kind, counts in sorted(self.files.items()):
            shown = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
            lines.append(f"{kind}: {shown or 'none'}")
        for file, keys in sorted(self.hand_edits.items()):
            lines.append(f"{file}: kept hand edits to {', '.join(keys)}")
        for file in sorted(self.deleted):
            lines.append(f"{file}: deleted by hand, not recreated")
        lines.extend(self.notes)
        return lines
