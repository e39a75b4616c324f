"""``sitegen deploy`` on the command line: checks come before the build, errors are one line."""

from __future__ import annotations

from pathlib import Path

from sitegen.cli import main

SITE = {"index.html": "<h1>hello</h1>\n", "static/site.css": "body{}\n"}


def test_no_build_publishes_the_output_folder(git, make_site, project, tmp_path: Path,
                                              monkeypatch, capsys):
    monkeypatch.chdir(project.work)
    make_site(project.work / "output", SITE)
    before = project.snapshot()
    assert main(["deploy", "--no-build", "--cname", "lab.example.org", "--message", "v1"]) == 0
    assert capsys.readouterr().out.startswith("published 4 files to origin/gh-pages at ")
    assert main(["deploy", "--no-build"]) == 0
    assert capsys.readouterr().out.startswith("site unchanged; origin/gh-pages stays at ")
    clone = project.checkout_remote(tmp_path / "clone")
    assert sorted(p.relative_to(clone).as_posix() for p in clone.rglob("*")
                  if p.is_file() and ".git" not in p.parts) == [
        ".nojekyll", "CNAME", "index.html", "static/site.css"]
    assert git(project.remote, "log", "--format=%s", "gh-pages").splitlines() == ["v1"]
    assert project.snapshot() == before


def test_no_repository_fails_before_building(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["deploy"]) == 1
    assert capsys.readouterr().err == (
        f"error: {tmp_path}: not inside a git repository; "
        "run `git init` and `git remote add origin URL` first\n"
    )
    assert list(tmp_path.iterdir()) == []  # no output/ was built


def test_no_remote_fails_before_building(git, tmp_path: Path, monkeypatch, capsys):
    git(tmp_path, "init", "--quiet")
    git(tmp_path, "remote", "add", "upstream", str(tmp_path / "elsewhere.git"))
    monkeypatch.chdir(tmp_path)
    assert main(["deploy"]) == 1
    assert capsys.readouterr().err == (
        "error: --remote: no git remote named 'origin' (remotes: upstream); "
        "add one with `git remote add origin URL`\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [".git"]


def test_bad_cname_fails_before_building(project, monkeypatch, capsys):
    monkeypatch.chdir(project.work)
    assert main(["deploy", "--cname", "https://lab.example.org/"]) == 1
    assert capsys.readouterr().err.startswith(
        "error: --cname: not a domain name: 'https://lab.example.org/'"
    )
    assert not (project.work / "output").exists()


def test_missing_output_with_no_build(project, monkeypatch, capsys):
    monkeypatch.chdir(project.work)
    assert main(["deploy", "--no-build"]) == 1
    assert capsys.readouterr().err == (
        f"error: {project.work / 'output'}: nothing to publish: the output folder does not exist\n"
    )


def test_no_build_follows_the_output_setting(git, make_site, project, tmp_path: Path,
                                             monkeypatch, capsys):
    monkeypatch.chdir(project.work)
    (project.work / "site.yaml").write_text("title: Lab\noutput: public\n")
    make_site(project.work / "public", {"index.html": "from public\n"})
    assert main(["deploy", "--no-build"]) == 0
    clone = project.checkout_remote(tmp_path / "clone")
    assert (clone / "index.html").read_text() == "from public\n"
