"""``sitegen init``: the files it lays out, and its refusal to overwrite anything."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from sitegen.cli import main
from sitegen.config import config_from_text
from sitegen.scaffold import SCAFFOLD, InitError, init_site

EXPECTED = sorted(target for target, _ in SCAFFOLD)


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def dirs(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_dir())


def test_lays_out_every_file(tmp_path: Path):
    result = init_site(tmp_path / "site", title="Doe Lab", base_url="/doe-lab/")
    assert sorted(tree(tmp_path / "site")) == EXPECTED
    assert list(result.files) == [target for target, _ in SCAFFOLD]
    for placeholder in ("content/papers/.gitkeep", "content/authors/.gitkeep"):
        assert (tmp_path / "site" / placeholder).read_bytes() == b""
    assert (tmp_path / "site/README.md").read_text().startswith("# Doe Lab\n")
    assert "*.txt" in (tmp_path / "site/seeds/README.md").read_text()
    assert "override" in (tmp_path / "site/templates/README.md").read_text()


@pytest.mark.parametrize(
    "title",
    ['Doe Lab', 'Lab: "quotes" & #hash', "Équipe d'apprentissage — 机器学习", "yes", "123"],
)
def test_site_yaml_round_trips_any_title(tmp_path: Path, title: str):
    init_site(tmp_path, title=title, base_url="https://doe.github.io/lab/")
    config = config_from_text((tmp_path / "site.yaml").read_text(), "site.yaml", tmp_path)
    assert config.title == title
    assert config.base.prefix == "/lab/" and config.base.origin == "https://doe.github.io"
    assert config.featured is None  # every profile author until the user names some
    assert config.language == "en"


def test_gitignore_covers_output_and_cache(tmp_path: Path):
    init_site(tmp_path)
    lines = (tmp_path / ".gitignore").read_text().splitlines()
    assert "/output/" in lines and "/.sitegen-cache/" in lines


def test_pages_workflow(tmp_path: Path):
    init_site(tmp_path)
    flow = yaml.safe_load((tmp_path / ".github/workflows/pages.yml").read_text())
    assert flow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads the key `on` as true
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert flow["concurrency"]["group"] == "pages"
    build = flow["jobs"]["build"]["steps"]
    uses = [step.get("uses", "").split("@")[0] for step in build]
    assert uses.index("actions/configure-pages") < uses.index("actions/upload-pages-artifact")
    pages = next(s for s in build if s.get("uses", "").startswith("actions/configure-pages"))
    build_step = next(s for s in build if "sitegen build" in s.get("run", ""))
    expected = "${{ steps." + pages["id"] + ".outputs.base_url }}"
    assert build_step["env"]["BASE_URL"] == expected
    assert '--base-url "$BASE_URL/"' in build_step["run"]
    assert any("pip install" in s.get("run", "") for s in build)
    upload = next(s for s in build if s.get("uses", "").startswith("actions/upload-pages"))
    assert upload["with"] == {"path": "output", "include-hidden-files": True}
    deploy = flow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_keeps_unrelated_files_and_empty_folders(tmp_path: Path):
    (tmp_path / "notes.txt").write_text("mine\n")
    (tmp_path / "content").mkdir()
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds/jane.txt").write_text("a listing\n")
    init_site(tmp_path)
    files = tree(tmp_path)
    assert files["notes.txt"] == b"mine\n" and files["seeds/jane.txt"] == b"a listing\n"
    assert set(EXPECTED) <= set(files)


@pytest.mark.parametrize("existing", ["site.yaml", "README.md", ".github/workflows/pages.yml",
                                      "content/papers/.gitkeep", "templates/README.md"])
def test_refuses_to_overwrite_and_writes_nothing(tmp_path: Path, existing: str):
    path = tmp_path / existing
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("keep me\n")
    before_files, before_dirs = tree(tmp_path), dirs(tmp_path)
    with pytest.raises(InitError) as err:
        init_site(tmp_path)
    assert str(err.value) == (
        f"{path}: already exists; sitegen init never overwrites files, so nothing was written"
    )
    assert tree(tmp_path) == before_files and dirs(tmp_path) == before_dirs


def test_refuses_a_file_where_a_folder_goes(tmp_path: Path):
    (tmp_path / "content").write_text("not a folder\n")
    with pytest.raises(InitError) as err:
        init_site(tmp_path)
    assert str(err.value).startswith(f"{tmp_path / 'content'}: already exists;")
    assert tree(tmp_path) == {"content": b"not a folder\n"}


def test_refuses_a_dangling_symlink(tmp_path: Path):
    os.symlink(tmp_path / "nowhere", tmp_path / "site.yaml")
    with pytest.raises(InitError):
        init_site(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site.yaml"]


def test_target_that_is_a_file(tmp_path: Path):
    (tmp_path / "site").write_text("x")
    with pytest.raises(InitError) as err:
        init_site(tmp_path / "site")
    assert str(err.value) == f"{tmp_path / 'site'}: exists and is not a folder; nothing was written"


def test_write_failure_removes_what_it_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    real_open = Path.open

    def failing_open(self: Path, mode: str = "r", *args, **kwargs):
        if self.name == "site.yaml" and "x" in mode:
            raise OSError(28, "No space left on device", str(self))
        return real_open(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", failing_open)
    (tmp_path / "mine.txt").write_text("mine\n")
    with pytest.raises(InitError) as err:
        init_site(tmp_path)
    assert str(err.value) == (
        f"{tmp_path / 'site.yaml'}: cannot write: No space left on device; nothing was kept"
    )
    assert tree(tmp_path) == {"mine.txt": b"mine\n"} and dirs(tmp_path) == []


@pytest.mark.parametrize("title", ["", "   ", "two\nlines"])
def test_rejects_bad_title(tmp_path: Path, title: str):
    with pytest.raises(InitError) as err:
        init_site(tmp_path / "s", title=title)
    assert str(err.value) == "--title: expected a one-line, non-empty title"
    assert not (tmp_path / "s").exists()


def test_cli_creates_site_and_reports_conflicts(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["init", "lab", "--title", "Lab", "--base-url", "/lab/"]) == 0
    out = capsys.readouterr().out
    assert "created lab/site.yaml" in out and "cd lab && sitegen ingest && sitegen build" in out
    assert 'base_url: "/lab/"' in (tmp_path / "lab/site.yaml").read_text()
    assert main(["init", "lab"]) == 1
    err = capsys.readouterr().err
    assert err == (
        "error: lab/.github/workflows/pages.yml: already exists; "
        "sitegen init never overwrites files, so nothing was written\n"
    )


def test_cli_rejects_bad_base_url(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["init", "--base-url", "ftp://host/x"]) == 1
    assert capsys.readouterr().err == (
        "error: --base-url: expected an http(s) URL like https://example.org, got 'ftp://host/x'\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_new_site_ingests_and_builds(tmp_path: Path, monkeypatch, capsys):
    """The scaffold is a working site: drop seeds in, ingest, build."""
    repo_seeds = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))
    assert repo_seeds
    monkeypatch.chdir(tmp_path)
    assert main(["init", "lab", "--title", "Scaffolded Lab", "--base-url", "/lab/"]) == 0
    site = tmp_path / "lab"
    for seed in repo_seeds:
        (site / "seeds" / seed.name).write_bytes(seed.read_bytes())
    monkeypatch.chdir(site)
    assert main(["ingest"]) == 0  # seeds/README.md is not taken for a seed
    assert main(["build"]) == 0
    index = (site / "output/index.html").read_text(encoding="utf-8")
    assert "Scaffolded Lab" in index and 'href="/lab/' in index
    assert (site / "output/.nojekyll").is_file()
    assert not list((site / "output").rglob("README.md"))  # the templates README is not a page
