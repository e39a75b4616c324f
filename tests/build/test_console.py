"""The ``sitegen`` executable (``sitegen.cli:console``): exit status, output, no lingering."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml


def _console(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    code = "import sys; from sitegen.cli import console; sys.argv[0] = 'sitegen'; console()"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_bad_input_exits_1_with_the_error_line(tmp_path: Path) -> None:
    done = _console("build", "--content", "missing", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip().endswith(
        "missing: content folder not found (run `sitegen ingest` first, or pass --content)")
    assert not (tmp_path / "output").exists()


def test_a_build_prints_everything_and_exits_0(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "papers").mkdir(parents=True)
    (content / "authors").mkdir()
    (content / "authors" / "ada-lovelace.yaml").write_text(
        yaml.safe_dump({"name": "Ada Lovelace"}), encoding="utf-8")
    (content / "papers" / "notes.yaml").write_text(yaml.safe_dump({
        "title": "Notes on the Engine", "authors": ["Ada Lovelace"], "date": "1843-09-01",
        "category": "LG"}), encoding="utf-8")
    done = _console("build", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().splitlines()[-1].startswith("wrote ")
    assert (tmp_path / "output" / "papers" / "notes" / "index.html").is_file()
    again = _console("build", cwd=tmp_path)
    assert again.returncode == 0
    assert again.stdout.startswith("nothing changed")
