"""sitegen as an installed package: build the wheel, install it in a fresh venv, make a site.

Only the files a wheel is built from are copied out of the checkout, so the test fails if the
package silently depends on anything else in the repository (the top-level templates/ most of
all). Dependencies are installed from the package index.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
PACKAGING_INPUTS = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "sitegen", "templates")


def run(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"{' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A fresh venv with the wheel built from this checkout installed in it."""
    root = tmp_path_factory.mktemp("wheel")
    src = root / "src"
    src.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in PACKAGING_INPUTS:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=ignore)
        else:
            shutil.copy2(path, src / name)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(root / "dist"),
         str(src)], root, env)
    wheels = list((root / "dist").glob("sitegen-*.whl"))
    assert len(wheels) == 1
    venv_dir = root / "venv"
    run([sys.executable, "-m", "venv", str(venv_dir)], root, env)
    run([str(venv_dir / "bin/python"), "-m", "pip", "install", "-q", str(wheels[0])], root, env)
    env["PATH"] = f"{venv_dir / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return venv_dir, env


def test_installed_package_finds_its_templates(venv, tmp_path: Path):
    venv_dir, env = venv
    code = (
        "import sitegen; from sitegen.render.theme import builtin_templates_dir as d; "
        "print(sitegen.__file__); print(d()); print(sorted(p.name for p in d().iterdir()))"
    )
    out = run([str(venv_dir / "bin/python"), "-c", code], tmp_path, env).splitlines()
    assert out[0].startswith(str(venv_dir)), "sitegen imported from outside the venv"
    assert out[1].startswith(str(venv_dir)) and out[1].endswith("sitegen/templates")
    shipped = sorted(p.name for p in (REPO / "templates").iterdir() if p.name != "__pycache__")
    assert out[2] == str(shipped)


def test_init_ingest_build_with_the_installed_sitegen(venv, tmp_path: Path):
    venv_dir, env = venv
    sitegen = str(venv_dir / "bin/sitegen")
    run([sitegen, "init", "lab", "--title", "Test Lab", "--base-url", "/lab/"], tmp_path, env)
    site = tmp_path / "lab"
    seeds = sorted((REPO / "seeds").glob("*.txt"))
    assert seeds, "the repository's seeds/ are needed for this test"
    for seed in seeds:
        shutil.copy2(seed, site / "seeds" / seed.name)
    run([sitegen, "ingest"], site, env)
    assert list((site / "content/papers").glob("*.yaml"))
    run([sitegen, "build"], site, env)
    index = site / "output/index.html"
    assert index.is_file()
    assert "Test Lab" in index.read_text(encoding="utf-8")
