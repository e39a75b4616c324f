"""Publishing a built folder to a real local bare repository."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sitegen.deploy import publish
from sitegen.errors import DeployError

FIRST = {"index.html": "<h1>first</h1>\n", "old.html": "gone later\n", "p/a/index.html": "A1\n"}
SECOND = {"index.html": "<h1>second</h1>\n", "p/a/index.html": "A2\n", "debug.log": "kept\n"}


def test_two_deploys_publish_the_second_site_and_keep_history(git, make_site, project, tmp_path: Path):
    before = project.snapshot()
    out = project.work / "output"
    make_site(out, FIRST)
    first = publish(project.work, out)
    for rel in FIRST:
        (out / rel).unlink()
    make_site(out, SECOND)
    second = publish(project.work, out, cname="www.example.org")

    clone = project.checkout_remote(tmp_path / "clone")
    assert (clone / "index.html").read_text() == "<h1>second</h1>\n"
    assert (clone / "p/a/index.html").read_text() == "A2\n"
    assert (clone / "debug.log").read_text() == "kept\n"  # ignored by the work repo, published
    assert not (clone / "old.html").exists()
    assert (clone / ".nojekyll").read_bytes() == b""
    assert (clone / "CNAME").read_text() == "www.example.org\n"
    assert project.remote_log() == [second.commit, first.commit]
    assert second.parent == first.commit and first.parent is None
    assert git(project.work, "rev-parse", "gh-pages").strip() == second.commit
    # .nojekyll and CNAME live only on the branch, never in the output folder.
    assert not (out / ".nojekyll").exists() and not (out / "CNAME").exists()
    after = project.snapshot()
    after["files"] = {k: v for k, v in after["files"].items() if not k.startswith("output/")}
    assert after == before


def test_user_work_tree_index_head_and_branches_untouched(git, make_site, project):
    out = make_site(project.work / "output", FIRST)
    before = project.snapshot()
    publish(project.work, out)
    publish(project.work, make_site(out, {"index.html": "changed\n"}))
    after = project.snapshot()
    for key in ("status", "head", "symbolic_head", "index", "branches", "stash"):
        assert after[key] == before[key], key
    assert {k: v for k, v in after["files"].items() if not k.startswith("output/")} == {
        k: v for k, v in before["files"].items() if not k.startswith("output/")
    }


def test_same_build_gives_same_tree_and_no_new_commit(git, make_site, project, tmp_path: Path):
    out = make_site(tmp_path / "site", FIRST)
    first = publish(project.work, out)
    again = publish(project.work, out)
    assert again.changed is False and again.commit == first.commit
    assert project.remote_log() == [first.commit]


def test_commit_is_deterministic_for_the_same_build(git, make_site,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    commits = []
    for name in ("one", "two"):
        root = tmp_path / name
        root.mkdir()
        remote = root / "remote.git"
        git(root, "init", "--quiet", "--bare", str(remote))
        git(root, "init", "--quiet", "work")
        git(root / "work", "remote", "add", "origin", str(remote))
        site = make_site(root / "site", {"index.html": "same\n", "a/b.css": "x{}\n"})
        os.chmod(site / "a/b.css", 0o600)  # permission bits other than +x do not matter
        commits.append(publish(root / "work", site, message="Publish").commit)
    assert commits[0] == commits[1]


def test_cname_survives_a_deploy_without_cname(git, make_site, project, tmp_path: Path):
    out = make_site(tmp_path / "site", FIRST)
    publish(project.work, out, cname="Lab.Example.org")
    publish(project.work, make_site(out, {"index.html": "v2\n"}))
    clone = project.checkout_remote(tmp_path / "clone")
    assert (clone / "CNAME").read_text() == "lab.example.org\n"


def test_builds_on_a_remote_tip_published_from_elsewhere(git, make_site, project, tmp_path: Path):
    other = tmp_path / "other"
    git(tmp_path, "clone", "--quiet", str(project.remote), "other")
    first = publish(other, make_site(tmp_path / "s1", FIRST))
    second = publish(project.work, make_site(tmp_path / "s2", SECOND))
    assert second.parent == first.commit
    assert project.remote_log() == [second.commit, first.commit]


def test_custom_remote_and_branch(git, make_site, project, tmp_path: Path):
    git(project.work, "remote", "add", "pages", str(project.remote))
    result = publish(project.work, make_site(tmp_path / "s", FIRST), remote="pages",
                     branch="site", message="Custom message")
    assert project.remote_log("site") == [result.commit]
    assert git(project.remote, "log", "-1", "--format=%s", "site").strip() == "Custom message"


def test_default_message_names_the_source_commit(git, make_site, project, tmp_path: Path):
    publish(project.work, make_site(tmp_path / "s", FIRST))
    head = git(project.work, "rev-parse", "HEAD").strip()
    subject = git(project.remote, "log", "-1", "--format=%s", "gh-pages").strip()
    assert subject == f"Deploy site built from {head[:12]}"


def test_no_repository(git, make_site, tmp_path: Path):
    site = make_site(tmp_path / "site", FIRST)
    with pytest.raises(DeployError) as err:
        publish(tmp_path, site)
    assert str(err.value) == (
        f"{tmp_path}: not inside a git repository; "
        "run `git init` and `git remote add origin URL` first"
    )


def test_no_remote(git, make_site, tmp_path: Path):
    git(tmp_path, "init", "--quiet")
    site = make_site(tmp_path / "site", FIRST)
    with pytest.raises(DeployError) as err:
        publish(tmp_path, site)
    assert str(err.value) == (
        "--remote: no git remote named 'origin' (remotes: none configured); "
        "add one with `git remote add origin URL`"
    )
    assert git(tmp_path, "branch", "--list").strip() == ""


def test_refused_push_changes_nothing(git, make_site, project, tmp_path: Path):
    first = publish(project.work, make_site(tmp_path / "s1", FIRST))
    hook = project.remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'pages are frozen' >&2\nexit 1\n")
    hook.chmod(0o755)
    before = project.snapshot()
    with pytest.raises(DeployError) as err:
        publish(project.work, make_site(tmp_path / "s2", SECOND))
    assert str(err.value).startswith(
        "--remote: push to origin/gh-pages was refused; nothing changed: "
    )
    assert "pages are frozen" in str(err.value)
    assert git(project.work, "rev-parse", "gh-pages").strip() == first.commit
    assert project.remote_log() == [first.commit]
    assert project.snapshot() == before


def test_refused_first_push_creates_no_local_branch(git, make_site, project, tmp_path: Path):
    hook = project.remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\nexit 1\n")
    hook.chmod(0o755)
    with pytest.raises(DeployError):
        publish(project.work, make_site(tmp_path / "s1", FIRST))
    assert git(project.work, "branch", "--list", "gh-pages").strip() == ""


def test_unreachable_remote(git, make_site, project, tmp_path: Path):
    git(project.work, "remote", "set-url", "origin", str(tmp_path / "missing.git"))
    with pytest.raises(DeployError) as err:
        publish(project.work, make_site(tmp_path / "s", FIRST))
    assert str(err.value).startswith("--remote: cannot reach remote 'origin': ")


def test_refuses_the_checked_out_branch(git, make_site, project, tmp_path: Path):
    with pytest.raises(DeployError) as err:
        publish(project.work, make_site(tmp_path / "s", FIRST), branch="main")
    assert str(err.value) == (
        "--branch: branch 'main' is checked out; publishing would change that work tree"
    )


@pytest.mark.parametrize("bad", ["https://example.org", "example.org/path", "-x.org", "local"])
def test_rejects_bad_cname(git, make_site, project, tmp_path: Path, bad: str):
    with pytest.raises(DeployError) as err:
        publish(project.work, make_site(tmp_path / "s", FIRST), cname=bad)
    assert str(err.value).startswith(f"--cname: not a domain name: {bad!r}")
    assert git(project.work, "branch", "--list", "gh-pages").strip() == ""


def test_rejects_bad_branch_name(git, make_site, project, tmp_path: Path):
    with pytest.raises(DeployError) as err:
        publish(project.work, make_site(tmp_path / "s", FIRST), branch="two words")
    assert str(err.value) == "--branch: not a valid branch name: 'two words'"


def test_missing_output_folder(git, make_site, project, tmp_path: Path):
    with pytest.raises(DeployError) as err:
        publish(project.work, tmp_path / "nowhere")
    assert str(err.value) == (
        f"{tmp_path / 'nowhere'}: nothing to publish: the output folder does not exist"
    )


def test_diverged_local_branch_is_reported(git, make_site, project, tmp_path: Path):
    publish(project.work, make_site(tmp_path / "s1", FIRST))
    other = tmp_path / "other"
    git(tmp_path, "clone", "--quiet", str(project.remote), "other")
    publish(other, make_site(tmp_path / "s2", SECOND))
    # A local-only commit on gh-pages that the remote never saw.
    tree = git(project.work, "rev-parse", "gh-pages^{tree}").strip()
    local = git(project.work, "commit-tree", tree, "-p", "gh-pages", "-m", "local").strip()
    git(project.work, "update-ref", "refs/heads/gh-pages", local)
    with pytest.raises(DeployError) as err:
        publish(project.work, make_site(tmp_path / "s3", {"index.html": "3\n"}))
    assert "have diverged" in str(err.value)
    assert git(project.work, "rev-parse", "gh-pages").strip() == local
