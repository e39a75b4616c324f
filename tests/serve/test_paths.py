"""Request targets map to files inside the output folder and never outside it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitegen.serve.paths import resolve


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "output"
    (root / "papers" / "x").mkdir(parents=True)
    (root / "index.html").write_text("home")
    (root / "papers" / "x" / "index.html").write_text("paper")
    (root / "feed.xml").write_text("feed")
    (root / "about.html").write_text("about")
    (root / ".sitegen-output").write_text("marker")
    (tmp_path / "secret.txt").write_text("secret")
    return root


def test_pages_under_the_root(site: Path) -> None:
    assert resolve(site, "/", "/").file == site / "index.html"
    assert resolve(site, "/", "/papers/x/").file == site / "papers" / "x" / "index.html"
    assert resolve(site, "/", "/feed.xml?x=1").file == site / "feed.xml"
    assert resolve(site, "/", "/about").file == site / "about.html"
    assert resolve(site, "/", "/missing/").status == 404


def test_folder_without_slash_redirects(site: Path) -> None:
    target = resolve(site, "/", "/papers/x?a=b")
    assert (target.status, target.location) == (301, "/papers/x/?a=b")


def test_prefix(site: Path) -> None:
    assert resolve(site, "/lab/", "/").status == 302
    assert resolve(site, "/lab/", "/").location == "/lab/"
    assert resolve(site, "/lab/", "/lab").location == "/lab/"
    assert resolve(site, "/lab/", "/lab/").file == site / "index.html"
    assert resolve(site, "/lab/", "/lab/papers/x/").file == site / "papers" / "x" / "index.html"
    assert resolve(site, "/lab/", "/papers/x/").status == 404
    assert resolve(site, "/lab/", "/labx/").status == 404


@pytest.mark.parametrize("raw", [
    "/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/papers/..%2f..%2fsecret.txt",
    "/papers/%2e%2e/%2e%2e/secret.txt", "/%2e%2e%2fsecret.txt", "/..%5csecret.txt",
    "/papers\\..\\..\\secret.txt", "/./index.html", "/%00", "/index.html%00.css",
    "/%ff%fe", "//etc/passwd", "http://127.0.0.1/../secret.txt", "secret.txt",
])
def test_traversal_is_refused(site: Path, raw: str) -> None:
    target = resolve(site, "/", raw)
    assert target.file is None and target.location is None
    assert target.status in (400, 404)


def test_absolute_paths_stay_inside(site: Path) -> None:
    assert resolve(site, "/", "/etc/passwd").status == 404
    assert resolve(site, "/", f"{site.parent}/secret.txt").status == 404  # under the root
    assert resolve(site, "/", f"/{site.parent}/secret.txt").status == 400  # "//" form


def test_hidden_files_are_not_served(site: Path) -> None:
    assert resolve(site, "/", "/.sitegen-output").status == 404


def test_symlinks_pointing_out_are_not_followed(site: Path) -> None:
    os.symlink(site.parent / "secret.txt", site / "leak.txt")
    os.symlink(site.parent, site / "up")
    os.symlink("/etc", site / "etc")
    assert resolve(site, "/", "/leak.txt").status == 404
    assert resolve(site, "/", "/up/secret.txt").status == 404
    assert resolve(site, "/", "/up").status == 404
    assert resolve(site, "/", "/etc/passwd").status == 404


def test_symlinks_inside_are_fine(site: Path) -> None:
    os.symlink(site / "feed.xml", site / "atom.xml")
    assert resolve(site, "/", "/atom.xml").file == (site / "feed.xml").resolve()


@given(st.text(alphabet="./%2eE5cf\\abx0", max_size=24))
def test_no_target_escapes(tmp_path_factory: pytest.TempPathFactory, tail: str) -> None:
    root = tmp_path_factory.getbasetemp() / "fuzz-out"
    root.mkdir(exist_ok=True)
    (root / "index.html").write_text("home")
    target = resolve(root, "/", "/" + tail)
    if target.file is not None:
        assert os.path.realpath(target.file).startswith(os.path.realpath(root) + os.sep)
