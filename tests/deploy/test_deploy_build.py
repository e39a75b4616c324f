"""``sitegen deploy`` end to end: a new site, built twice and published to a bare remote."""

from __future__ import annotations

from pathlib import Path

from sitegen.cli import main
from sitegen.scaffold import init_site

AUTHOR = """name: Jane Doe
aliases: []
profile: true
metrics: {}
affiliation: Example University
bio: Works on learning theory.
links: []
"""

PAPER = """title: A Small Result on Learning
authors:
- Jane Doe
et_al: false
date: '2024-03-01'
date_inferred: false
category: LG
code: false
score: null
affiliations: []
abstract: We prove a small result.
abstract_versions: []
profiles:
- jane-doe
sources: []
"""


def _site_files(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(root).parts
    )


def test_deploy_twice_publishes_the_second_build(git, project, tmp_path: Path, monkeypatch,
                                                 capsys):
    site = tmp_path / "lab"
    init_site(site, title="First Title", base_url="/lab/")
    (site / "content/authors/jane-doe.yaml").write_text(AUTHOR)
    (site / "content/papers/a-small-result.yaml").write_text(PAPER)
    git(site, "init", "--quiet")
    git(site, "add", ".")
    git(site, "commit", "--quiet", "-m", "new site")
    git(site, "remote", "add", "origin", str(project.remote))
    monkeypatch.chdir(site)

    assert main(["deploy"]) == 0
    # An uncommitted edit: deploy builds what is on disk and leaves the edit alone.
    (site / "site.yaml").write_text(
        (site / "site.yaml").read_text().replace("First Title", "Second Title")
    )
    status = git(site, "status", "--porcelain")
    head = git(site, "rev-parse", "HEAD")
    index = (site / ".git/index").read_bytes()
    assert main(["deploy", "--message", "second"]) == 0
    assert "published" in capsys.readouterr().out

    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", "--branch", "gh-pages", str(project.remote), "clone")
    home = (clone / "index.html").read_text(encoding="utf-8")
    assert "Second Title" in home and "First Title" not in home
    assert (clone / ".nojekyll").is_file()
    assert _site_files(clone) == _site_files(site / "output")
    assert len(git(clone, "rev-list", "HEAD").split()) == 2
    assert git(site, "status", "--porcelain") == status
    assert git(site, "rev-parse", "HEAD") == head
    assert (site / ".git/index").read_bytes() == index
    assert git(site, "branch", "--list").split() == ["gh-pages", "*", "main"]
