"""An index updated for a few changed papers equals the index built from scratch."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.config import SiteConfig
from sitegen.content.model import Author, Paper
from sitegen.content.store import Corpus
from sitegen.errors import ContentError
from sitegen.render.index import STRUCTURE_FIELDS, build_index
from sitegen.render.index_update import update_index

AUTHORS = 7  # few authors, many papers: papers share people, lists and related papers
DATES = ["2021-05-01", "2022-01-09", "2022-01-10", "2023-12-31", "2024-02-29"]
CATEGORIES = ["LG", "CV", "cv", "CL ", ""]
TITLES = ["Alpha", "beta", "Gamma", "alpha", "Delta"]


def _author(i: int) -> Author:
    return Author(slug=f"a{i}", name=f"Author {i}", aliases=[f"A. {i}"], profile=i < 2)


def _name(i: int, alias: bool) -> str:
    return f"A. {i}" if alias else f"Author {i}"


papers_st = st.builds(
    lambda people, alias, hidden, date, category, title: (
        [_name(i, alias) for i in people], [f"a{i}" for i in hidden], date, category, title),
    st.lists(st.integers(0, AUTHORS - 1), min_size=1, max_size=4, unique=True),
    st.booleans(),
    st.lists(st.integers(0, 1), max_size=2),
    st.sampled_from(DATES), st.sampled_from(CATEGORIES), st.sampled_from(TITLES),
)


def _paper(slug: str, spec: tuple) -> Paper:
    names, profiles, date, category, title = spec
    return Paper(slug=slug, title=title, authors=names, date=date, category=category,
                 profiles=profiles)


def _corpus(specs: dict[str, tuple]) -> Corpus:
    return Corpus(papers={s: _paper(s, spec) for s, spec in specs.items()},
                  authors={f"a{i}": _author(i) for i in range(AUTHORS)})


def _plain(index, name: str):
    value = getattr(index, name)
    return dict(value.items()) if hasattr(value, "items") else value


def _assert_same(updated, built) -> None:
    for name in (*STRUCTURE_FIELDS, "people_of"):
        assert _plain(updated, name) == _plain(built, name), name
    # Listings are read in order: the dicts keyed by year and category too.
    assert list(updated.years) == list(built.years)
    assert list(updated.categories) == list(built.categories)
    assert updated.corpus is not None and updated.memo == {}


@settings(max_examples=300, deadline=None)
@given(
    before=st.dictionaries(st.sampled_from([f"p{i:02d}" for i in range(14)]), papers_st,
                           min_size=1, max_size=14),
    edits=st.dictionaries(st.sampled_from([f"p{i:02d}" for i in range(16)]),
                          st.one_of(st.none(), papers_st), min_size=1, max_size=4),
)
def test_an_updated_index_equals_a_built_one(before: dict, edits: dict) -> None:
    """Edits, additions and removals (None) of up to four papers at once."""
    after = {**before, **edits}
    after = {s: spec for s, spec in after.items() if spec is not None}
    config = SiteConfig()
    old = build_index(_corpus(before), config)
    corpus = _corpus(after)
    changed = {s for s in edits if before.get(s) != after.get(s)}
    updated, delta = update_index(old, corpus, changed)
    built = build_index(corpus, config)
    _assert_same(updated, built)
    assert delta.papers_of == {a for a in built.papers_by_author
                               if old.papers_by_author[a] != built.papers_by_author[a]}
    assert delta.related == {s for s in old.related.keys() | built.related.keys()
                             if old.related.get(s) != built.related.get(s)}
    # The previous index is left as it was: the build compares the two.
    _assert_same(old, build_index(_corpus(before), config))


def test_a_date_edit_moves_the_paper_in_every_list_it_is_on() -> None:
    specs = {f"p{i}": ([_name(i % 3, False), _name(3, False)], [], DATES[i % 4], "LG",
                       f"T{i}") for i in range(6)}
    old = build_index(_corpus(specs), SiteConfig())
    specs["p0"] = (specs["p0"][0], [], "2030-01-01", "CV", "T0")
    updated, delta = update_index(old, _corpus(specs), {"p0"})
    assert updated.all_papers[0] == "p0" and updated.papers_by_author["a3"][0] == "p0"
    assert list(updated.years)[0] == 2030 and updated.categories["cv"] == ["p0"]
    assert delta.papers_of == {"a0", "a3"}
    assert delta.credits == set()


def test_an_unknown_author_on_a_changed_paper_is_the_error_a_build_gives() -> None:
    specs = {"p0": ([_name(0, False)], [], DATES[0], "LG", "T")}
    old = build_index(_corpus(specs), SiteConfig())
    specs["p0"] = (["Nobody Here"], [], DATES[0], "LG", "T")
    corpus = _corpus(specs)
    with pytest.raises(ContentError) as updating:
        update_index(old, corpus, {"p0"})
    with pytest.raises(ContentError) as building:
        build_index(corpus, SiteConfig())
    assert str(updating.value) == str(building.value)
    assert "unknown author 'Nobody Here'" in str(updating.value)


def test_unchanged_maps_are_shared_not_copied_value_by_value() -> None:
    specs = {f"p{i}": ([_name(i % 4, False)], [], DATES[i % 5], "LG", f"T{i}")
             for i in range(8)}
    old = build_index(_corpus(specs), SiteConfig())
    specs["p1"] = replace_spec = (specs["p1"][0], [], "2020-01-01", "LG", "T1")
    assert replace_spec[2] == "2020-01-01"
    updated, _ = update_index(old, _corpus(specs), {"p1"})
    assert updated.name_to_slug is old.name_to_slug and updated.authors_az is old.authors_az
    assert updated.papers_by_author["a0"] is old.papers_by_author["a0"]  # not a1's
    assert updated.papers_by_author["a1"] is not old.papers_by_author["a1"]
    assert replace(updated, memo={}).featured == old.featured
