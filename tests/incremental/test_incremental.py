"""An incremental build must equal a cold build of the same content, byte for byte.

Each test builds a generated project, changes one kind of input, builds again through
``SiteBuilder`` and compares the whole output tree with the plain uncached build
(``sitegen.build.build``) of the changed project. Both ways of keeping the previous build
are checked: in memory (one builder, as a preview server uses it) and on disk (a new
builder per build, as ``sitegen build`` runs).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sitekit import cold_tree, copied, edit_yaml, make_project, tree

from sitegen.build import build as cold_build
from sitegen.content.store import load_paper, write_paper
from sitegen.errors import ContentError, TemplateError
from sitegen.incremental import SiteBuilder
from sitegen.render.theme import builtin_templates_dir

MODES = ["memory", "disk", "watcher"]


@pytest.fixture(scope="module")
def template_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("template") / "site")


@pytest.fixture
def project(template_project: Path, tmp_path: Path) -> Path:
    return copied(template_project, tmp_path)


def paper(project: Path, slug: str) -> Path:
    return project / "content" / "papers" / f"{slug}.yaml"


def author(project: Path, slug: str) -> Path:
    return project / "content" / "authors" / f"{slug}.yaml"


def rebuild(project: Path, mode: str, change: Callable[[], list[Path]]):
    """First build, apply ``change``, build again the way ``mode`` says; return the result."""
    first = SiteBuilder(project)
    assert first.build().mode == "full"
    changed = change()
    if mode == "memory":
        return first.build()
    if mode == "watcher":
        return first.build(changed)
    return SiteBuilder(project).build()


def assert_same_as_cold(project: Path, tmp_path: Path) -> None:
    got = tree(project / "output")
    want = cold_tree(project, tmp_path)
    assert sorted(got) == sorted(want)
    differ = [f for f in want if got[f] != want[f]]
    assert differ == []


@pytest.mark.parametrize("mode", MODES)
def test_edit_abstract_writes_only_what_changed(project: Path, tmp_path: Path, mode: str) -> None:
    target = paper(project, "paper-004")
    result = rebuild(project, mode, lambda: [
        edit_yaml(target, "We study", "We carefully study") or target])
    assert result.mode == "incremental"
    assert "papers/paper-004/index.html" in result.written
    assert "papers/paper-004/paper-004.bib" in result.written
    # Lists show cards, not abstracts: the big pages are not rewritten.
    for listing in ("index.html", "papers/index.html", "authors/index.html",
                    "years/index.html", "categories/index.html"):
        assert listing not in result.written
    assert result.deleted == []
    assert_same_as_cold(project, tmp_path)


@pytest.mark.parametrize("mode", MODES)
def test_edit_title_and_date(project: Path, tmp_path: Path, mode: str) -> None:
    target = paper(project, "paper-007")

    def change() -> list[Path]:
        text = target.read_text(encoding="utf-8")
        text = text.replace("title: ", "title: Renamed ", 1)
        lines = [("date: '2012-01-05'" if line.startswith("date:") else line)
                 for line in text.splitlines()]
        target.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return [target]

    result = rebuild(project, mode, change)
    assert "papers/index.html" in result.written
    assert "years/2012/index.html" in result.written
    assert_same_as_cold(project, tmp_path)


def _retitle(target: Path, title: str) -> None:
    paper_record = load_paper(target, target.parent.parent)
    paper_record.title = title
    write_paper(target.parent.parent, paper_record)


@pytest.mark.parametrize("mode", MODES)
def test_title_edit_that_keeps_the_order_keeps_the_index(
        project: Path, tmp_path: Path, mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import sitegen.incremental as incremental

    target = paper(project, "paper-007")
    old_title = load_paper(target, project / "content").title

    def change() -> list[Path]:
        def no_rebuild(*_args: object) -> None:
            raise AssertionError("the index was rebuilt for a title that keeps its place")

        monkeypatch.setattr(incremental, "step_index", no_rebuild)
        _retitle(target, old_title + " (revised)")
        return [target]

    result = rebuild(project, mode, change)
    assert result.mode == "incremental"
    assert "papers/paper-007/index.html" in result.written
    assert "papers/index.html" in result.written  # the listing shows the new title
    monkeypatch.undo()
    assert_same_as_cold(project, tmp_path)


@pytest.mark.parametrize("mode", MODES)
def test_title_edits_that_swap_two_papers_of_one_day(project: Path, tmp_path: Path,
                                                     mode: str) -> None:
    first, second = paper(project, "paper-007"), paper(project, "paper-008")
    day = load_paper(first, project / "content").date
    same_day = load_paper(second, project / "content")
    same_day.date = day
    write_paper(project / "content", same_day)
    _retitle(first, "Aaa first of the day")
    _retitle(second, "Bbb second of the day")

    def change() -> list[Path]:
        _retitle(first, "Ccc now after the other")
        return [first]

    result = rebuild(project, mode, change)
    assert result.mode == "incremental"
    assert "papers/index.html" in result.written
    assert_same_as_cold(project, tmp_path)


@pytest.mark.parametrize("mode", MODES)
def test_add_paper(project: Path, tmp_path: Path, mode: str) -> None:
    source = paper(project, "paper-001")
    new = paper(project, "paper-new")

    def change() -> list[Path]:
        text = source.read_text(encoding="utf-8").replace("title: ", "title: Brand new ", 1)
        new.write_text(text, encoding="utf-8")
        return [new]

    result = rebuild(project, mode, change)
    assert "papers/paper-new/index.html" in result.written
    assert_same_as_cold(project, tmp_path)


@pytest.mark.parametrize("mode", MODES)
def test_delete_paper(project: Path, tmp_path: Path, mode: str) -> None:
    target = paper(project, "paper-010")
    result = rebuild(project, mode, lambda: [target.unlink() or target])
    assert "papers/paper-010/index.html" in result.deleted
    assert not (project / "output" / "papers" / "paper-010").exists()
    assert_same_as_cold(project, tmp_path)


@pytest.mark.parametrize("mode", MODES)
def test_rename_paper(project: Path, tmp_path: Path, mode: str) -> None:
    old, new = paper(project, "paper-012"), paper(project, "paper-twelve")

    def change() -> list[Path]:
        old.rename(new)
        return [old, new]

    result = rebuild(project, mode, change)
    assert "papers/paper-012/index.html" in result.deleted
    assert "papers/paper-twelve/index.html" in result.written
    assert_same_as_cold(project, tmp_path)


@pytest.mark.parametrize("mode", MODES)
def test_edit_author_bio_and_name(project: Path, tmp_path: Path, mode: str) -> None:
    a0, a5 = author(project, "author-00"), author(project, "author-05")

    def change() -> list[Path]:
        edit_yaml(a0, "bio: ", "bio: Edited. ")
        # A new display name, the old one kept as an alias so papers still resolve.
        text = a5.read_text(encoding="utf-8")
        name = text.split("\n", 1)[0].split(": ", 1)[1]
        text = text.replace(f"name: {name}", "name: Zed Newname", 1)
        text = text.replace("aliases:\n", f"aliases:\n- {name}\n", 1)
        a5.write_text(text, encoding="utf-8")
        return [a0, a5]

    rebuild(project, mode, change)
    assert_same_as_cold(project, tmp_path)


@pytest.mark.parametrize("mode", ["memory", "disk"])
def test_change_template(project: Path, tmp_path: Path, mode: str) -> None:
    def change() -> list[Path]:
        templates = project / "templates"
        templates.mkdir(exist_ok=True)
        text = (builtin_templates_dir() / "404.html").read_text(encoding="utf-8")
        text = text.replace("{% block content %}", "{% block content %}<!-- site override -->")
        (templates / "404.html").write_text(text, encoding="utf-8")
        return [templates / "404.html"]

    result = rebuild(project, mode, change)
    assert result.mode == "full"
    assert "404.html" in result.written
    assert b"site override" in (project / "output" / "404.html").read_bytes()
    assert_same_as_cold(project, tmp_path)


@pytest.mark.parametrize("mode", ["memory", "disk"])
def test_change_site_yaml(project: Path, tmp_path: Path, mode: str) -> None:
    config = project / "site.yaml"
    result = rebuild(project, mode, lambda: [
        edit_yaml(config, "title: Test Lab", "title: Other Lab") or config])
    assert result.mode == "full"
    assert_same_as_cold(project, tmp_path)


def test_nothing_changed_writes_nothing(project: Path) -> None:
    builder = SiteBuilder(project)
    builder.build()
    before = {p: p.stat().st_mtime_ns for p in (project / "output").rglob("*")}
    for again in (builder, SiteBuilder(project)):
        result = again.build()
        assert (result.mode, result.written, result.deleted) == ("unchanged", [], [])
    assert {p: p.stat().st_mtime_ns for p in (project / "output").rglob("*")} == before


def test_touch_without_change_writes_nothing(project: Path) -> None:
    SiteBuilder(project).build()
    target = paper(project, "paper-003")
    target.write_bytes(target.read_bytes())
    result = SiteBuilder(project).build()
    assert result.written == [] and result.deleted == []


@pytest.mark.parametrize("damage", ["delete", "truncate", "garbage"])
def test_damaged_cache_is_rebuilt_silently(project: Path, tmp_path: Path, damage: str,
                                           capsys: pytest.CaptureFixture) -> None:
    SiteBuilder(project).build()
    cache = project / ".sitegen-cache"
    if damage == "delete":
        shutil.rmtree(cache)
    for file in cache.glob("*.bin"):
        if damage == "truncate":
            file.write_bytes(file.read_bytes()[:100])
        else:
            file.write_bytes(b"not a pickle at all")
    edit_yaml(paper(project, "paper-002"), "We study", "We also study")
    result = SiteBuilder(project).build()
    assert result.mode == "full"
    assert capsys.readouterr().err == ""
    assert_same_as_cold(project, tmp_path)
    assert SiteBuilder(project).build().mode == "unchanged"


def test_deleted_output_is_rebuilt(project: Path, tmp_path: Path) -> None:
    SiteBuilder(project).build()
    shutil.rmtree(project / "output")
    assert SiteBuilder(project).build().mode == "full"
    assert_same_as_cold(project, tmp_path)


def test_bad_content_leaves_output_and_cache_alone(project: Path, tmp_path: Path) -> None:
    builder = SiteBuilder(project)
    builder.build()
    before = tree(project / "output")
    target = paper(project, "paper-005")
    good = target.read_text(encoding="utf-8")
    target.write_text(good.replace("title: ", "title: [unclosed ", 1), encoding="utf-8")
    with pytest.raises(ContentError) as err:
        builder.build([target])
    assert str(err.value).startswith("content/papers/paper-005.yaml:")
    with pytest.raises(ContentError) as cold_err:
        cold_build(project, out_dir=tmp_path / "cold", quiet=True)
    assert str(err.value) == str(cold_err.value)  # the same words as the plain build
    with pytest.raises(ContentError):
        SiteBuilder(project).build()
    assert tree(project / "output") == before
    target.write_text(good.replace("title: ", "title: Fixed ", 1), encoding="utf-8")
    result = builder.build([target])
    assert "papers/paper-005/index.html" in result.written
    assert_same_as_cold(project, tmp_path)


def test_bad_template_leaves_output_alone(project: Path) -> None:
    builder = SiteBuilder(project)
    builder.build()
    before = tree(project / "output")
    templates = project / "templates"
    templates.mkdir()
    (templates / "paper.html").write_text("{% if %}\n", encoding="utf-8")
    with pytest.raises(TemplateError):
        builder.build()
    assert tree(project / "output") == before


def test_watch_paths(project: Path) -> None:
    paths = SiteBuilder(project).watch_paths
    assert paths == [project / "content", project / "templates", builtin_templates_dir(),
                     project / "site.yaml"]


def add_owner(project: Path, slug: str, owner: str) -> None:
    """The paper now also appears on ``owner``'s listing (a hidden author, et al.)."""
    content = project / "content"
    record = load_paper(paper(project, slug), content)
    record.profiles = [*record.profiles, owner]
    write_paper(content, record)


def flip(path: Path, key: str) -> None:
    text = path.read_text(encoding="utf-8")
    if f"{key}: false" in text:
        edit_yaml(path, f"{key}: false", f"{key}: true")
    else:
        edit_yaml(path, f"{key}: true", f"{key}: false")


def test_sequence_of_changes_stays_identical(project: Path, tmp_path: Path) -> None:
    """Several changes in a row on one long-lived builder, checked after each."""
    builder = SiteBuilder(project)
    builder.build()
    steps: list[Callable[[], None]] = [
        lambda: edit_yaml(paper(project, "paper-001"), "category: ", "category: NEW"),
        lambda: paper(project, "paper-002").unlink(),
        lambda: flip(paper(project, "paper-003"), "code"),
        lambda: flip(author(project, "author-01"), "profile"),
        lambda: add_owner(project, "paper-004", "author-13"),
    ]
    for step in steps:
        step()
        builder.build()
        assert_same_as_cold(project, tmp_path)


def test_quick_check_agrees_with_the_builder(project: Path) -> None:
    from sitegen import build as build_module
    from sitegen.freshness import MARKER, up_to_date

    assert MARKER == build_module.MARKER
    assert not up_to_date(project)  # never built
    SiteBuilder(project).build()
    assert up_to_date(project)
    edit_yaml(paper(project, "paper-001"), "We study", "We now study")
    assert not up_to_date(project)
    SiteBuilder(project).build()
    assert up_to_date(project)
    assert not up_to_date(project, base_url="/elsewhere/")


def test_detached_cache_save_is_waited_for(project: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A one-off build of a big site leaves the cache to a child; the next build waits."""
    import sitegen.incremental as incremental

    monkeypatch.setattr(incremental, "DETACHED_SAVE_MIN", 0)
    SiteBuilder(project).build()
    assert SiteBuilder(project).build().mode == "unchanged"
    edit_yaml(paper(project, "paper-006"), "We study", "We again study")
    assert SiteBuilder(project).build().mode == "incremental"
    assert SiteBuilder(project).build().mode == "unchanged"
    assert_same_as_cold(project, tmp_path)


def test_watcher_list_is_not_trusted_over_a_cache_from_disk(project: Path, tmp_path: Path) -> None:
    """Edits made while no builder was running are found even if a watcher names others."""
    SiteBuilder(project).build()
    edit_yaml(paper(project, "paper-008"), "We study", "We quietly study")
    other = paper(project, "paper-009")
    edit_yaml(other, "We study", "We loudly study")
    result = SiteBuilder(project).build([other])
    assert "papers/paper-008/index.html" in result.written
    assert_same_as_cold(project, tmp_path)


def test_output_changed_but_cache_not_saved_means_full_build(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build that dies after writing pages but before saving the cache (kill -9) must
    not leave a cache that describes the old output: here a revert would go unnoticed."""
    import sitegen.cache as cache

    SiteBuilder(project).build()
    target = paper(project, "paper-011")
    original = target.read_text(encoding="utf-8")
    edit_yaml(target, "We study", "We never study")
    with monkeypatch.context() as m:
        m.setattr(cache, "save", lambda *args, **kwargs: None)
        m.setattr(cache, "save_detached", lambda *args, **kwargs: None)
        SiteBuilder(project).build()
    target.write_text(original, encoding="utf-8")
    assert SiteBuilder(project).build().mode == "full"
    assert_same_as_cold(project, tmp_path)


def test_build_goes_on_from_the_quick_check(project: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """``sitegen build``: the check's scan is the build's scan (the folder is walked once)."""
    from sitegen import freshness, scan

    SiteBuilder(project).build()
    edit_yaml(paper(project, "paper-003"), "We study", "We briefly study")
    calls: list[object] = []
    real = scan.scan
    monkeypatch.setattr(scan, "scan", lambda *a, **k: calls.append(a) or real(*a, **k))
    checked = freshness.check(project)
    assert not checked.fresh and checked.found is not None
    result = SiteBuilder(project).build(checked=checked)
    assert result.mode == "incremental"
    assert len(calls) == 1
    assert "papers/paper-003/index.html" in result.written
    assert_same_as_cold(project, tmp_path)
    assert freshness.check(project).fresh


def test_listing_hash_answers_a_no_change_check(project: Path) -> None:
    """Nothing changed: the check compares one hash and never reads the file table."""
    import os

    from sitegen import freshness

    SiteBuilder(project).build()
    first = freshness.check(project)
    assert first.fresh and first.found is None and first.state.files is None
    target = paper(project, "paper-005")
    st = target.stat()
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))  # touched only
    touched = freshness.check(project)
    assert touched.fresh and touched.found is not None  # the table was read, then saved
    again = freshness.check(project)
    assert again.fresh and again.found is None
    edit_yaml(target, "We study", "We Study")  # same size, other bytes
    assert not freshness.check(project).fresh


@pytest.mark.parametrize("mode", MODES)
def test_two_files_of_one_slug_come_and_go(project: Path, tmp_path: Path, mode: str) -> None:
    """``x.yaml`` and ``x.yml``: the corpus keeps one of them, as a cold build does."""
    original = paper(project, "paper-010")
    twin = original.with_suffix(".yml")

    def add() -> list[Path]:
        twin.write_text(original.read_text(encoding="utf-8").replace("We study", "We twin"),
                        encoding="utf-8")
        return [twin]

    rebuild(project, mode, add)
    assert_same_as_cold(project, tmp_path)
    twin.unlink()
    SiteBuilder(project).build()
    assert_same_as_cold(project, tmp_path)


def test_a_preview_does_not_keep_the_garbage_cycles_of_its_builds(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The heap is frozen after each rebuild; the rebuild's own cycles are freed first."""
    import gc
    import weakref

    import sitegen.incremental as incremental

    class Node:
        pass

    made: list[weakref.ref] = []
    real = incremental._render_one

    def render(*args, **kwargs):
        node = Node()
        node.self = node  # a cycle, as render contexts and tracebacks make
        made.append(weakref.ref(node))
        return real(*args, **kwargs)

    builder = SiteBuilder(project)
    builder.build()
    monkeypatch.setattr(incremental, "_render_one", render)
    for word in ("first", "second"):
        target = paper(project, "paper-012")
        edit_yaml(target, "We ", f"We {word} ")
        builder.build([target])
    assert made and all(ref() is None for ref in made)
    gc.unfreeze()


def _no_index_rebuild(monkeypatch: pytest.MonkeyPatch) -> None:
    import sitegen.incremental as incremental

    def no_rebuild(*_args: object) -> None:
        raise AssertionError("the index was rebuilt for an edit of one paper")

    monkeypatch.setattr(incremental, "step_index", no_rebuild)


def _move(target: Path, **fields: object) -> None:
    record = load_paper(target, target.parent.parent)
    for name, value in fields.items():
        setattr(record, name, value)
    write_paper(target.parent.parent, record)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("edit", ["date", "category", "authors", "year-and-category"])
def test_one_paper_moved_updates_the_index(project: Path, tmp_path: Path, mode: str,
                                           edit: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A date, a category or an author list changed: the lists it is on change, the index
    is updated rather than rebuilt, and the output equals a cold build."""
    target = paper(project, "paper-012")
    record = load_paper(target, project / "content")
    other = load_paper(paper(project, "paper-020"), project / "content")
    fields: dict[str, object] = {
        "date": {"date": "2030-06-01"},
        "category": {"category": "Brand New Topic"},
        "authors": {"authors": [*other.authors[:1], *record.authors[1:]]
                    if other.authors[0] not in record.authors else record.authors[1:]},
        "year-and-category": {"date": "2009-02-03", "category": "XX"},
    }[edit]

    def change() -> list[Path]:
        _no_index_rebuild(monkeypatch)
        _move(target, **fields)
        return [target]

    result = rebuild(project, mode, change)
    monkeypatch.undo()
    assert result.mode == "incremental"
    assert "papers/paper-012/index.html" in result.written
    assert "papers/index.html" in result.written
    assert_same_as_cold(project, tmp_path)


@pytest.mark.parametrize("mode", MODES)
def test_the_last_paper_of_a_year_and_a_category_moved_away(
        project: Path, tmp_path: Path, mode: str) -> None:
    """The year's and the category's pages go; those of the new ones come."""
    target = paper(project, "paper-005")
    _move(target, date="2001-01-01", category="Lonely")  # built first by ``rebuild``

    result = rebuild(project, mode, lambda: [_move(target, date="2002-03-04",
                                                   category="Other") or target])
    assert "years/2001/index.html" in result.deleted
    assert "categories/lonely/index.html" in result.deleted
    assert "years/2002/index.html" in result.written
    assert not (project / "output" / "years" / "2001").exists()
    assert_same_as_cold(project, tmp_path)


def test_random_paper_edits_stay_identical(project: Path, tmp_path: Path) -> None:
    """A long-lived builder through a seeded series of edits, adds and deletions of papers,
    one to three at a time, compared with a cold build after each."""
    import random

    rng = random.Random(11)
    content = project / "content"
    builder = SiteBuilder(project)
    builder.build()
    names = [load_paper(p, content).authors[0] for p in sorted((content / "papers").iterdir())]
    for step in range(8):
        existing = sorted((content / "papers").iterdir())
        changed: list[Path] = []
        for target in rng.sample(existing, rng.randint(1, 3)):
            kind = rng.choice(["date", "category", "authors", "title", "add", "delete"])
            if kind == "delete":
                target.unlink()
            elif kind == "add":
                record = load_paper(target, content)
                record.slug = f"added-{step}-{target.stem}"
                record.title = f"Added {rng.random():.3f}"
                write_paper(content, record)
                target = paper(project, record.slug)
            else:
                value = {"date": f"{rng.randint(2010, 2026)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                         "category": rng.choice(["LG", "CV", "New one", "ST"]),
                         "authors": rng.sample(names, rng.randint(1, 3)),
                         "title": f"{rng.choice(['A', 'Q', 'z'])} retitled {step}"}[kind]
                _move(target, **{kind: sorted(set(value)) if kind == "authors" else value})
            changed.append(target)
        result = builder.build(changed)
        assert result.mode == "incremental"
        assert_same_as_cold(project, tmp_path)


def test_rendered_cards_are_carried_over_except_the_changed_papers(project: Path) -> None:
    builder = SiteBuilder(project)
    builder.build()
    assert builder._prev is not None and builder._prev.site is not None
    before = builder._prev.site.index.paper_memo
    assert len(before) == 30  # a full build renders every card
    target = paper(project, "paper-007")
    _retitle(target, load_paper(target, project / "content").title + " (revised)")
    builder.build([target])
    after = builder._prev.site.index.paper_memo
    assert after is not before
    assert after["paper-001"] is before["paper-001"]  # carried as it was
    assert after["paper-007"] is not before["paper-007"]
    titles = [v["title"] for k, v in after["paper-007"].items() if k[0] == "card"]
    assert titles and all(t.endswith(" (revised)") for t in titles)


def test_a_long_lived_builder_writes_its_cache_once_released(project: Path) -> None:
    """A build server answers before the cache is written: the build holds the cache's
    lock, and ``release`` (after the answer) forks the writer."""
    from sitegen import cache as cachemod

    builder = SiteBuilder(project, long_lived=True)
    builder.build()
    target = paper(project, "paper-003")
    edit_yaml(target, "We study", "We now study")
    builder.build([target])
    assert builder._held is not None  # locked, not written yet
    assert builder.continues_disk_cache()
    builder.release()
    assert builder._held is None
    cachemod.wait_for_saver(builder.cache_dir)
    assert SiteBuilder(project).build().mode == "unchanged"  # the saved cache is current


def test_a_held_cache_save_lands_in_the_project_from_any_folder(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build server builds inside the project's folder but answers (and releases)
    from ``/``: the cache must still be written where the builder's relative path
    pointed when it built."""
    from sitegen import cache as cachemod

    monkeypatch.chdir(project)
    builder = SiteBuilder(Path("."), long_lived=True)
    builder.build()
    target = paper(project, "paper-003")
    edit_yaml(target, "We study", "We now study")
    builder.build([Path("content/papers/paper-003.yaml")])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    builder.release()
    cachemod.wait_for_saver(builder.cache_dir)
    assert not (elsewhere / cachemod.CACHE_DIR).exists()
    assert SiteBuilder(project).build().mode == "unchanged"
