"""The build-error overlay and error page the preview shows instead of dying.

Everything that comes from the failure (file name, problem text, the offending source lines)
is user content, possibly hostile (a title containing ``<script>`` that broke a template),
so every piece goes through ``html.escape``; the markup itself is fixed.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

from sitegen.errors import SitegenError

CONTEXT_LINES = 3
OVERLAY_ID = "sitegen-build-error"


@dataclass(frozen=True)
class BuildFailure:
    """What went wrong, in the terms of ``file:line: key: problem``, plus nearby source."""

    problem: str
    file: str | None = None
    line: int | None = None
    key: str | None = None
    excerpt: tuple[tuple[int, str], ...] = ()  # (line number, text) around ``line``
    internal: bool = False  # a bug in sitegen, not in the user's files

    @property
    def location(self) -> str:
        if self.file is None:
            return ""
        return f"{self.file}:{self.line}" if self.line else self.file

    def __str__(self) -> str:
        return ": ".join(p for p in (self.location, self.key or "", self.problem) if p)


def _excerpt(file: str | None, line: int | None, bases: list[Path]) -> tuple[tuple[int, str], ...]:
    if not file or not line:
        return ()
    path = Path(file)
    candidates = [path] if path.is_absolute() else [base / path for base in bases]
    for candidate in candidates:
        try:
            lines = candidate.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        first = max(1, line - CONTEXT_LINES)
        last = min(len(lines), line + CONTEXT_LINES)
        return tuple((n, lines[n - 1]) for n in range(first, last + 1))
    return ()


def failure_from(exc: BaseException, bases: list[Path]) -> BuildFailure:
    """A failure report for any exception a build raised (user error or sitegen bug)."""
    if isinstance(exc, SitegenError):
        return BuildFailure(
            problem=exc.problem,
            file=str(exc.file) if exc.file is not None else None,
            line=exc.line,
            key=exc.key,
            excerpt=_excerpt(str(exc.file) if exc.file else None, exc.line, bases),
        )
    return BuildFailure(problem=f"internal error: {type(exc).__name__}: {exc}", internal=True)


_STYLE = f"""<style>
#{OVERLAY_ID}{{position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:24px;
background:rgba(20,20,24,.92);color:#f3f3f3;font:15px/1.5 ui-monospace,SFMono-Regular,Menlo,
Consolas,monospace;text-align:left}}
#{OVERLAY_ID} h2{{margin:0 0 12px;font-size:18px;color:#ff8a8a}}
#{OVERLAY_ID} .where{{color:#9cd2ff}}
#{OVERLAY_ID} pre{{margin:12px 0;padding:8px 0;background:#000;border-radius:6px;overflow:auto}}
#{OVERLAY_ID} pre span{{display:block;padding:0 12px;white-space:pre}}
#{OVERLAY_ID} pre .hit{{background:#5a1d1d}}
#{OVERLAY_ID} .hint{{color:#b8b8b8;font-size:13px}}
</style>"""


def overlay_html(failure: BuildFailure) -> str:
    """A full-window panel naming file, line and problem; put into every served page."""
    parts = [_STYLE, f'<div id="{OVERLAY_ID}" role="alert">', "<h2>sitegen: build failed</h2>"]
    if failure.location:
        parts.append(f'<p class="where">{escape(failure.location)}</p>')
    if failure.key:
        parts.append(f'<p class="key">key: {escape(failure.key)}</p>')
    parts.append(f'<p class="problem">{escape(failure.problem)}</p>')
    if failure.excerpt:
        width = len(str(failure.excerpt[-1][0]))
        rows = []
        for number, text in failure.excerpt:
            cls = ' class="hit"' if number == failure.line else ""
            rows.append(f"<span{cls}>{number:>{width}} | {escape(text)}</span>")
        parts.append("<pre>" + "".join(rows) + "</pre>")
    hint = ("See the terminal for the traceback." if failure.internal
            else "Fix the file and save: this page reloads by itself.")
    parts.append(f'<p class="hint">{hint}</p></div>')
    return "\n".join(parts)


def error_page(failure: BuildFailure) -> str:
    """A page of its own, for when there is no previous build to show under the overlay."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Build failed: {escape(str(failure))}</title>\n</head>\n<body>\n"
        f"{overlay_html(failure)}\n</body>\n</html>\n"
    )
