"""axe-core in the page: install it from npm into a cache folder once, inject it, run it.

axe-core is a JavaScript library, so it comes from the npm registry into
``tests/.cache/axe`` (ignored by git); ``.ci/run`` installs it too. Only rules tagged for
WCAG 2.1 level A and AA run, which is the bar the site is held to.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sitecheck.vnu import ToolMissing

TESTS_DIR = Path(__file__).resolve().parents[2]
CACHE = TESTS_DIR / ".cache" / "axe"
AXE_JS = CACHE / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
AXE_SPEC = "axe-core@4"


def ensure_axe() -> Path:
    """Path to axe.min.js, installing axe-core with npm when the cache lacks it."""
    if AXE_JS.is_file():
        return AXE_JS
    npm = shutil.which("npm")
    if not npm:
        raise ToolMissing(
            f"{AXE_JS} is missing and npm is not installed to fetch it: "
            "apt-get install npm, or run .ci/run"
        )
    CACHE.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(CACHE), AXE_SPEC],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if proc.returncode != 0 or not AXE_JS.is_file():
        raise ToolMissing(f"npm install {AXE_SPEC} failed: {proc.stderr.strip()[-2000:]}")
    return AXE_JS


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    nodes: tuple[tuple[str, str, str], ...]  # (css target, html snippet, failure summary)

    def describe(self, page: str) -> str:
        lines = [f"{page}: {self.rule} ({self.impact}): {self.help}"]
        for target, html, summary in self.nodes[:6]:
            summary = " ".join(summary.split())[:220]
            lines.append(f"    at {target}: {html[:160]}\n      {summary}")
        if len(self.nodes) > 6:
            lines.append(f"    ... and {len(self.nodes) - 6} more nodes")
        return "\n".join(lines)


RUN_AXE = """async (tags) => {
    const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                            resultTypes: ['violations']});
    return {
        passes: result.passes.length,
        violations: result.violations.map(v => ({
            id: v.id, impact: v.impact || '', help: v.help,
            nodes: v.nodes.map(n => [n.target.join(' '), n.html, n.failureSummary || '']),
        })),
    };
}"""


def run_axe(page, axe_js: Path, tags: tuple[str, ...] = WCAG_TAGS) -> list[Violation]:
    """Inject axe into the loaded ``page`` and return its violations for ``tags``."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_js))
    raw = page.evaluate(RUN_AXE, list(tags))
    if not raw["passes"] and not raw["violations"]:
        raise AssertionError(f"axe ran no rule on {page.url}: is the page empty?")
    return [
        Violation(v["id"], v["impact"], v["help"], tuple(tuple(n) for n in v["nodes"]))
        for v in raw["violations"]
    ]
