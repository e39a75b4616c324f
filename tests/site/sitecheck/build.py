"""Build a site the way a user does: ``sitegen build`` on the command line, from the project."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "tests" / "site" / "fixtures"


def sitegen_command() -> list[str]:
    """The installed console script, or the module when only the source tree is there."""
    exe = shutil.which("sitegen")
    return [exe] if exe else [sys.executable, "-m", "sitegen.cli"]


class BuildFailed(AssertionError):
    pass


def run_sitegen(
    args: list[str], cwd: Path = REPO, timeout: float = 300, env: dict[str, str] | None = None
) -> str:
    """Run the CLI; ``env`` adds variables (a different time zone, locale, hash seed...)."""
    proc = subprocess.run(
        [*sitegen_command(), *args],
        cwd=cwd,
        env={**os.environ, **env} if env else None,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        raise BuildFailed(
            f"`sitegen {' '.join(args)}` exited {proc.returncode}\n"
            f"stdout:\n{proc.stdout[-3000:]}\nstderr:\n{proc.stderr[-3000:]}"
        )
    return proc.stdout + proc.stderr


def build_site(
    content: Path,
    out: Path,
    base_url: str | None = None,
    cwd: Path = REPO,
    env: dict[str, str] | None = None,
) -> Path:
    args = ["build", "--content", str(content), "--out", str(out)]
    if base_url is not None:
        args += ["--base-url", base_url]
    run_sitegen(args, cwd=cwd, env=env)
    if not (out / "index.html").is_file():
        raise BuildFailed(f"`sitegen {' '.join(args)}` succeeded but wrote no {out}/index.html")
    return out


def has_content(folder: Path) -> bool:
    return any((folder / "papers").glob("*.yaml")) and any((folder / "authors").glob("*.yaml"))


def seed_content(tmp: Path) -> Path:
    """The project's committed content/, or (before there is one) an ingest of seeds/."""
    committed = REPO / "content"
    if has_content(committed):
        return committed
    target = tmp / "content"
    run_sitegen(["ingest", str(REPO / "seeds"), "--content", str(target)])
    if not has_content(target):
        raise BuildFailed(f"`sitegen ingest` wrote no papers/authors into {target}")
    return target
