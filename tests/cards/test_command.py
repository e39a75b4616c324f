import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitegen.cards.lookup import failure_message
from sitegen.cards.match import find_author, normalise
from sitegen.cli import main
from sitegen.content.model import Author

AUTHORS = {
    "ada-lovelace": Author("ada-lovelace", "Ada Lovelace", aliases=["A. Lovelace"]),
    "alan-turing": Author("alan-turing", "Alan Turing"),
    "alan-kay": Author("alan-kay", "Alan Kay"),
    "andras-gyorgy": Author("andras-gyorgy", "András György"),
    "li-lin": Author("li-lin", "Li Lin"),
    "lin-li": Author("lin-li", "Lin Li"),
}


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("Ada Lovelace", "ada-lovelace"),
        ("ada", "ada-lovelace"),
        ("LOVELACE", "ada-lovelace"),
        ("A. Lovelace", "ada-lovelace"),
        ("Ada Lovelase", "ada-lovelace"),  # typo
        ("Andras Gyorgy", "andras-gyorgy"),  # no accents
        ("gyorgy", "andras-gyorgy"),
        ("alan-kay", "alan-kay"),  # a slug
        ("Turing", "alan-turing"),
        ("Alan T", "alan-turing"),  # an initial
        ("li lin", "li-lin"),  # identical form beats the swapped name
        ("Lin Li", "lin-li"),
    ],
)
def test_one_author_matches(query, slug):
    result = find_author(query, AUTHORS)
    assert result.author is not None and result.author.slug == slug


@pytest.mark.parametrize(("query", "slugs"), [("alan", ["alan-kay", "alan-turing"]), ("li", ["li-lin", "lin-li"])])
def test_ambiguous_queries_list_candidates(query, slugs):
    result = find_author(query, AUTHORS)
    assert result.author is None
    assert sorted(c.slug for c in result.candidates) == slugs


def test_nothing_matches():
    result = find_author("Grace Hopper", AUTHORS)
    assert result.author is None and not result.candidates


@given(st.text(max_size=30))
def test_matching_never_fails_and_is_exclusive(query):
    result = find_author(query, AUTHORS)
    assert not (result.author and (result.candidates or result.suggestions))
    assert normalise(query) == normalise(normalise(query))


def _run(capsys, *args):
    code = main(["card", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_card_prints_both_snippets(capsys, site_dir):
    code, out, err = _run(capsys, "ada", "lovelace", "--project", str(site_dir))
    assert code == 0 and err == ""
    base = "https://lab.example.org/pubs/"
    assert out.startswith("<!-- Publication card for Ada Lovelace: iframe -->\n<iframe src=")
    assert f'src="{base}authors/ada-lovelace/card.html"' in out
    assert "<!-- Publication card for Ada Lovelace: web component -->\n" in out
    assert out.endswith(
        f'<script src="{base}embed.js" defer></script>\n'
        f'<researcher-card src="{base}authors/ada-lovelace/card.json" papers="5" layout="full">'
        "</researcher-card>\n"
    )


def test_card_options(capsys, site_dir):
    code, out, _ = _run(capsys, "Turing", "--project", str(site_dir), "--papers", "2",
                        "--layout", "compact", "--base-url", "https://ex.org/lab/")
    assert code == 0
    assert '<researcher-card src="https://ex.org/lab/authors/alan-turing/card.json" papers="2" layout="compact">' in out


def test_card_without_site_url_warns(capsys, site_dir, tmp_path):
    (tmp_path / "content").symlink_to(site_dir / "content")
    code, out, err = _run(capsys, "Turing", "--project", str(tmp_path))
    assert code == 0
    assert err == (
        "note: the site's URL is unknown (set url in site.yaml or pass --base-url https://...); "
        "these snippets use path-only URLs that work only on the site itself\n"
    )
    assert 'src="/authors/alan-turing/card.html"' in out


def test_several_matches_exact_message(capsys, site_dir):
    code, out, err = _run(capsys, "alan", "--project", str(site_dir))
    assert code == 1 and out == ""
    assert err == (
        "error: 2 authors match 'alan' in content/authors:\n"
        "  Alan Kay (alan-kay)\n"
        "  Alan Turing (alan-turing)\n"
        "give more of the name, or the author's slug\n"
    )


def test_no_match_exact_message(capsys, site_dir):
    code, out, err = _run(capsys, "Grace Hopper", "--project", str(site_dir))
    assert code == 1 and out == ""
    assert err == "error: no author matches 'Grace Hopper' in content/authors\n"


def test_near_miss_suggests_names(capsys, site_dir):
    code, _, err = _run(capsys, "Chuck Babbage", "--project", str(site_dir))
    assert code == 1
    assert err == (
        "error: no author matches 'Chuck Babbage' in content/authors\n"
        "did you mean: Charles Babbage (charles-babbage)?\n"
    )


def test_alias_shown_when_it_matched():
    lovelaces = {
        "ada-lovelace": Author("ada-lovelace", "Ada Lovelace", aliases=["A. Lovelace"]),
        "ann-lovelace": Author("ann-lovelace", "Ann Lovelace", aliases=["A. Lovelace Jr"]),
    }
    result = find_author("Lovelace A", lovelaces)
    assert failure_message("Lovelace A", result, "people", 2) == (
        "2 authors match 'Lovelace A' in people:\n"
        "  Ada Lovelace (ada-lovelace) as 'A. Lovelace'\n"
        "  Ann Lovelace (ann-lovelace)\n"
        "give more of the name, or the author's slug"
    )


def test_empty_content_folder(capsys, tmp_path):
    code, _, err = _run(capsys, "anyone", "--project", str(tmp_path))
    assert code == 1
    assert err == "error: no authors in content/authors (run sitegen ingest first)\n"


def test_docs_show_real_output_and_every_field(capsys, site_dir, index, config):
    import json

    from sitegen.cards.data import card_for, card_json

    docs = (site_dir.parents[3] / "docs" / "cards.md").read_text()
    code, out, _ = _run(capsys, "Ada Lovelace", "--project", str(site_dir))
    assert code == 0 and out.strip() in docs
    data = json.loads(card_json(card_for(index, config, "ada-lovelace")))
    for key in [*data, *data["papers"][0]]:
        assert f"| `{key}` |" in docs, f"card.json field {key!r} is not documented"
