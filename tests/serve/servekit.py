"""Helpers for the preview tests: a real ``sitegen serve`` subprocess over a copy of a site.

The server runs exactly as a user runs it (the console entry point, its own process, an
ephemeral loopback port), so the tests see signals, threads and sockets the way they are.
Chromium is Debian's, never a downloaded one; a missing browser fails, it does not skip.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "basic"
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
SERVING = re.compile(r"^Serving (http://\S+) ")
ENTRY = "import sys; from sitegen.cli import main; sys.exit(main())"


@dataclass
class ServeProcess:
    """A running ``sitegen serve``: its URL, its output so far, and how to stop it."""

    proc: subprocess.Popen[str]
    project: Path
    lines: list[str] = field(default_factory=list)
    url: str = ""
    _cond: threading.Condition = field(default_factory=threading.Condition)

    @property
    def origin(self) -> str:
        return re.match(r"http://[^/]+", self.url).group(0)

    @property
    def port(self) -> int:
        return int(self.origin.rsplit(":", 1)[1])

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self._cond:
                self.lines.append(line.rstrip("\n"))
                self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    def wait_for(self, pattern: str, timeout: float = 30.0, start: int = 0) -> re.Match[str]:
        """The first output line from index ``start`` on matching ``pattern``."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for line in self.lines[start:]:
                    found = regex.search(line)
                    if found:
                        return found
                left = deadline - time.monotonic()
                if left <= 0 or (self.proc.poll() is not None and not self._alive_reader()):
                    raise AssertionError(f"no line matching {pattern!r}; output:\n"
                                         + "\n".join(self.lines))
                self._cond.wait(min(left, 0.2))

    def _alive_reader(self) -> bool:
        return any(t.name == f"serve-reader-{self.proc.pid}" for t in threading.enumerate())

    def interrupt(self, timeout: float = 30.0) -> int:
        """Ctrl-C, then the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()


def start_serve(project: Path, *args: str, timeout: float = 60.0) -> ServeProcess:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-c", ENTRY, "serve", "--project", str(project), "--port", "0", *args],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )
    serve = ServeProcess(proc, project)
    threading.Thread(target=serve._read, name=f"serve-reader-{proc.pid}", daemon=True).start()
    serve.url = serve.wait_for(SERVING.pattern, timeout).group(1)
    return serve


def copy_site(dest: Path) -> Path:
    """The basic fixture site, plus a site template folder holding a copy of base.html and
    style.css (so tests can edit a template and a stylesheet the site owns)."""
    shutil.copytree(FIXTURE / "content", dest / "content")
    shutil.copy(FIXTURE / "site.yaml", dest / "site.yaml")
    (dest / "templates" / "static").mkdir(parents=True)
    shutil.copy(REPO / "templates" / "base.html", dest / "templates" / "base.html")
    shutil.copy(REPO / "templates" / "static" / "style.css",
                dest / "templates" / "static" / "style.css")
    (dest / "secret.txt").write_text("TOP-SECRET-6d1f\n")
    return dest


def save(path: Path, text: str) -> float:
    """Write like an editor does (temp file + rename); the time of the write."""
    tmp = path.with_name(f".{path.name}.saving")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return time.monotonic()
