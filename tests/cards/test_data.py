import json

from hypothesis import given
from hypothesis import strategies as st

from sitegen.cards.data import (
    JSON_PAPERS,
    SCHEMA_VERSION,
    build_card,
    card_for,
    card_json,
    indented_json,
)
from sitegen.content.model import Author, Paper

BASE = "https://lab.example.org/pubs/"


def test_card_json_fields_for_fixture_author(index, config):
    data = json.loads(card_json(card_for(index, config, "ada-lovelace")))
    assert list(data) == [
        "schema_version", "name", "slug", "url", "affiliation", "metrics", "paper_count",
        "papers", "card_url", "oembed_url", "site", "lang",
    ]
    assert data["schema_version"] == SCHEMA_VERSION == 1
    assert data["name"] == "Ada Lovelace"
    assert data["url"] == BASE + "authors/ada-lovelace/"
    assert data["affiliation"] == "Analytical Engine Group, University of London"
    assert data["metrics"] == {"h_index": 24, "papers": 29, "citations": 1866, "novelty": 56.0}
    assert data["paper_count"] == 6
    assert data["card_url"] == BASE + "authors/ada-lovelace/card.html"
    assert data["oembed_url"] == BASE + "authors/ada-lovelace/oembed.json"
    assert data["site"] == {"title": "Learning Lab", "url": BASE}
    assert data["lang"] == "en"
    assert [p["date"] for p in data["papers"]] == [
        "2023-10-24", "2023-06-12", "2023-03-11", "2022-06-10", "2021-01-05", "2020-09-01",
    ]
    first, second = data["papers"][:2]
    assert first == {
        "title": "Notes on the Analytical Engine",
        "url": BASE + "papers/notes-on-the-analytical-engine/",
        "date": "2023-10-24",
        "year": 2023,
        "authors": ["Ada Lovelace", "Charles Babbage"],
        "et_al": False,
    }
    # listed through an alias ("A. Lovelace"), names kept exactly as written
    assert second["authors"] == ["Alan Turing", "A. Lovelace", "Alan Kay", "András György"]
    assert second["et_al"] is True


def test_unknown_values_are_null_or_absent(index, config):
    data = json.loads(card_json(card_for(index, config, "alan-kay")))
    assert data["affiliation"] is None
    assert data["metrics"] == {}
    assert data["paper_count"] == 2


def test_urls_are_path_only_without_a_site_origin(index, config):
    from sitegen.config import SiteConfig

    bare = SiteConfig().with_base_url("/lab/")
    data = json.loads(card_json(card_for(index, bare, "alan-turing")))
    assert data["url"] == "/lab/authors/alan-turing/"
    assert data["papers"][0]["url"].startswith("/lab/papers/")
    assert data["site"]["url"] == "/lab/"


def test_card_json_is_deterministic_utf8(index, config):
    one = card_json(card_for(index, config, "andras-gyorgy"))
    two = card_json(card_for(index, config, "andras-gyorgy"))
    assert one == two and one.endswith(b"\n")
    assert "András György".encode() in one


def test_papers_are_capped_newest_first_with_stable_ties(config):
    author = Author(slug="a", name="A")
    papers = [
        Paper(slug=f"p{i:02d}", title=f"Title {i % 3}", authors=["A"], date=f"20{10 + i % 7}-01-01")
        for i in range(30)
    ]
    card = build_card(author, reversed(papers), config)
    assert card.paper_count == 30 and len(card.papers) == JSON_PAPERS
    keys = [(p.date, p.title) for p in card.papers]
    assert keys == sorted(keys, key=lambda k: (-int(k[0][:4]), k[1]))
    assert card == build_card(author, papers, config)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20,
)


@given(_JSON)
def test_indented_json_matches_the_standard_library(value):
    assert indented_json(value) == json.dumps(value, ensure_ascii=False, indent=2)
