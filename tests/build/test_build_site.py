"""End-to-end builds of the fixture site: pages, golden output, determinism, base URLs."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from buildkit import FIXTURES, snapshot

from sitegen.build import MARKER, build

GOLDEN = FIXTURES / "basic" / "golden"
HASHED = re.compile(r"(static/[\w.-]+?)\.[0-9a-f]{10}\.(\w+)")


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        d = dict(attrs)
        for name in ("href", "src"):
            if d.get(name):
                self.refs.append(d[name])
        self._in_script = tag == "script" and d.get("type") != "application/ld+json"

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self._in_script and data.strip():
            self.scripts.append(data)


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def normalise(text: str) -> str:
    """Asset hashes change with every stylesheet edit; golden files compare everything else."""
    return HASHED.sub(r"\1.HASH.\2", text)


def test_build_writes_the_expected_pages(project: Path) -> None:
    result = build(project, quiet=True)
    out = project / "output"
    assert result.out_dir == out
    for rel in [
        "index.html", "404.html", "sitemap.xml", "robots.txt", "feed.xml", ".nojekyll", MARKER,
        "papers/engine-notes/index.html", "papers/engine-notes/engine-notes.bib",
        "authors/ada-lovelace/index.html", "authors/ada-lovelace/feed.xml",
        "authors/index.html", "papers/index.html", "categories/lg/index.html",
        "years/2023/index.html", "categories/index.html", "years/index.html",
    ]:  # fmt: skip
        assert (out / rel).is_file(), rel
    assert result.papers == 3 and result.authors == 4
    assert result.pages_written >= 3 + 4 + 1
    assert list((out / "static").glob("style.*.css"))


@pytest.mark.parametrize("page", ["papers/engine-notes/index.html", "authors/ada-lovelace/index.html"])
def test_golden_pages(project: Path, page: str) -> None:
    """Whole pages against tests/fixtures/basic/golden/ (asset hashes masked).

    After an intended template change, regenerate with
    ``SITEGEN_UPDATE_GOLDEN=1 python -m pytest tests/build -k golden`` and review the diff.
    """
    build(project, quiet=True)
    actual = normalise((project / "output" / page).read_text(encoding="utf-8"))
    golden = GOLDEN / page
    if os.environ.get("SITEGEN_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")


def test_two_builds_are_byte_identical(project: Path, tmp_path: Path) -> None:
    build(project, out_dir=tmp_path / "a", quiet=True)
    build(project, out_dir=tmp_path / "b", quiet=True)
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def internal_refs(out: Path) -> list[tuple[Path, str]]:
    refs = []
    for page in sorted(out.rglob("*.html")):
        for ref in parse(page).refs:
            if not ref.startswith(("http://", "https://", "mailto:", "#")):
                refs.append((page, ref))
    return refs


def resolve(out: Path, prefix: str, ref: str) -> Path:
    path = ref.split("#", 1)[0]
    assert path.startswith(prefix), ref
    target = out / path[len(prefix):]
    return target / "index.html" if path.endswith("/") else target


@pytest.mark.parametrize("base", ["/", "/lab-site/"])
def test_every_internal_link_has_the_prefix_and_resolves(
    project: Path, tmp_path: Path, base: str
) -> None:
    out = tmp_path / "out"
    build(project, out_dir=out, base_url=base, quiet=True)
    refs = internal_refs(out)
    assert len(refs) > 50
    for page, ref in refs:
        assert ref.startswith(base), f"{page}: {ref}"
        assert resolve(out, base, ref).is_file(), f"{page}: broken {ref}"


def test_full_base_url_gives_absolute_canonical_sitemap_and_feeds(
    project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build(project, out_dir=out, base_url="https://user.github.io/lab-site/", quiet=True)
    paper = (out / "papers/engine-notes/index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://user.github.io/lab-site/papers/engine-notes/">' in (
        paper
    )
    assert 'href="/lab-site/authors/ada-lovelace/"' in paper
    sitemap = ET.parse(out / "sitemap.xml").getroot()
    locs = [el.text or "" for el in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert all(loc.startswith("https://user.github.io/lab-site/") for loc in locs)
    pages = {
        "https://user.github.io/lab-site/" + p.relative_to(out).as_posix().removesuffix("index.html")
        for p in out.rglob("*.html")
        if p.name != "404.html" and 'rel="canonical"' in p.read_text(encoding="utf-8")
    }
    assert set(locs) == pages
    robots = (out / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://user.github.io/lab-site/sitemap.xml" in robots
    feed = ET.parse(out / "feed.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    assert feed.findtext(f"{atom}id") == "https://user.github.io/lab-site/feed.xml"
    assert feed.findtext(f"{atom}updated") == "2023-03-11T00:00:00Z"  # newest paper, not "now"


def test_paper_page_metadata(project: Path) -> None:
    build(project, quiet=True)
    html = (project / "output/papers/engine-notes/index.html").read_text(encoding="utf-8")
    assert '<meta name="citation_title" content="Notes on the Analytical Engine">' in html
    assert html.count('<meta name="citation_author"') == 2
    assert '<meta name="citation_publication_date" content="2023/03/11">' in html
    assert '<meta name="citation_abstract" content="We show that σReparam' in html
    assert '<meta property="og:type" content="article">' in html
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert ld is not None
    data = json.loads(ld.group(1))
    assert data["@type"] == "ScholarlyArticle"
    assert [a["@type"] for a in data["author"]] == ["Person", "Person"]


def test_cross_links_both_ways(project: Path) -> None:
    build(project, quiet=True)
    out = project / "output"
    for paper_page in (out / "papers").glob("*/index.html"):
        paper_href = "/" + paper_page.parent.relative_to(out).as_posix() + "/"
        byline = paper_page.read_text(encoding="utf-8").split('class="byline authors">', 1)[1]
        byline = byline.split("</p>", 1)[0]
        for author_href in re.findall(r'href="([^"]+)"', byline):
            author_page = resolve(out, "/", author_href)
            assert f'href="{paper_href}"' in author_page.read_text(encoding="utf-8"), (
                f"{author_href} does not list {paper_href}"
            )
    for author_page in (out / "authors").glob("*/index.html"):
        for ref in re.findall(r'class="paper-title" href="([^"]+)"', author_page.read_text()):
            assert resolve(out, "/", ref).is_file()


def test_hidden_profile_owner_is_named(project: Path) -> None:
    build(project, quiet=True)
    html = (project / "output/papers/compilers/index.html").read_text(encoding="utf-8")
    assert (
        'et al. <span class="hidden-owners">(listed on the profile of '
        '<a href="/authors/ada-lovelace/">Ada Lovelace</a>)</span>'
    ) in html
    assert '<span class="inferred">(year inferred)</span>' in html


def test_hostile_content_is_inert_everywhere(project: Path) -> None:
    build(project, quiet=True)
    out = project / "output"
    for path in sorted(out.rglob("*")):
        if not path.is_file() or path.suffix not in (".html", ".xml"):
            continue
        text = path.read_text(encoding="utf-8")
        lowered = text.lower()
        assert "<script>alert" not in lowered, path
        assert "<img" not in lowered, path
        assert "onerror=alert(1)>" not in lowered.replace("&gt;", ""), path
        assert 'href="javascript:' not in lowered, path
        if path.suffix == ".html":
            assert not any("alert" in script for script in parse(path).scripts), path
        if path.suffix == ".xml":
            ET.parse(path)  # well-formed despite hostile text


def test_site_templates_override_builtin_ones_file_by_file(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates" / "404.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>Lost</h1>{% endblock %}\n'
    )
    build(project, quiet=True)
    assert "<h1>Lost</h1>" in (project / "output/404.html").read_text()
    assert "<h1>Notes on the Analytical Engine</h1>" in (
        project / "output/papers/engine-notes/index.html"
    ).read_text()


def test_cli_prints_progress_and_summary(project: Path, capsys: pytest.CaptureFixture) -> None:
    from sitegen.cli import main

    assert main(["build", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert "content  3 papers, 4 authors" in out
    assert re.search(r"wrote \d+ .* in \d+\.\d\d s", out)


def test_prepare_renders_single_pages_like_the_build(project: Path) -> None:
    from sitegen.build import prepare

    build(project, quiet=True)
    site = prepare(project)
    page = site.page_for("papers/engine-notes/index.html")
    assert page is not None and page.kind == "paper"
    assert site.render(page) == (project / "output" / page.file).read_bytes()
    assert site.page_for("no/such/index.html") is None
