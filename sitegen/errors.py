"""One small exception hierarchy, caught once in the CLI.

Every error that a user can fix names the file, the line and the key, so the CLI
can print ``file:line: key: problem`` the way MkDocs reports config errors.
"""

from __future__ import annotations


class SitegenError(Exception):
    """Base class: anything sitegen reports to the user instead of a traceback."""

    def __init__(
        self,
        problem: str,
        *,
        file: str | None = None,
        line: int | None = None,
        key: str | None = None,
    ) -> None:
        super().__init__(problem)
        self.problem = problem
        self.file = file
        self.line = line
        self.key = key

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file is not None:
            parts.append(f"{self.file}:{self.line}" if self.line else str(self.file))
        if self.key:
            parts.append(self.key)
        parts.append(self.problem)
        return ": ".join(parts)


class ContentError(SitegenError):
    """A content file (YAML under content/, site.yaml) is malformed or inconsistent."""


class IngestError(SitegenError):
    """A seed file cannot be read or is in no known shape."""


class TemplateError(SitegenError):
    """A Jinja template failed to load or render."""


class BuildError(SitegenError):
    """The build cannot proceed (unsafe output folder, I/O failure)."""


class DeployError(SitegenError):
    """Publishing failed: no repository, no remote, push refused."""
