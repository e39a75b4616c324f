"""Fixtures for the built-site checks: one seed build per session, servers, one browser.

Builds run through the ``sitegen`` command line exactly as a user runs it, into temporary
folders, once per session; every test reads the same output. Missing tools (Chromium,
Java, npm for axe-core) make tests fail with the install command, never skip.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from sitecheck import layout  # noqa: E402
from sitecheck.axe import ensure_axe  # noqa: E402
from sitecheck.browser import Watch, launch, watch  # noqa: E402
from sitecheck.build import FIXTURES, REPO, build_site, seed_content  # noqa: E402
from sitecheck.server import Site, serve  # noqa: E402

ARTIFACTS = REPO / "tests" / ".artifacts"
SUBPATH = "/lab-site/"


@dataclass(frozen=True)
class Built:
    """A build output folder and the URL prefix it was built for."""

    root: Path
    prefix: str
    content: Path


# ---- builds -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def build_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sitebuild")


@pytest.fixture(scope="session")
def content_dir(build_tmp: Path) -> Path:
    return seed_content(build_tmp)


@pytest.fixture(scope="session")
def seed_site(content_dir: Path, build_tmp: Path) -> Built:
    """The seed site built for the domain root; most checks read this one."""
    return Built(build_site(content_dir, build_tmp / "root", "/"), "/", content_dir)


@pytest.fixture(scope="session")
def subpath_site(content_dir: Path, build_tmp: Path) -> Built:
    return Built(build_site(content_dir, build_tmp / "sub", SUBPATH), SUBPATH, content_dir)


@pytest.fixture(scope="session")
def evil_site(build_tmp: Path) -> Built:
    content = FIXTURES / "evil-content"
    return Built(build_site(content, build_tmp / "evil", "/"), "/", content)


@pytest.fixture(scope="session")
def corpus(content_dir: Path):
    from sitegen.content.store import load_corpus

    return load_corpus(content_dir)


@dataclass(frozen=True)
class Sample:
    """The pages the browser checks look at: the index, one author page, one paper page."""

    index: Path
    author: Path
    paper: Path

    def items(self) -> list[tuple[str, Path]]:
        return [("index", self.index), ("author", self.author), ("paper", self.paper)]


def _one(root: Path, slug: str, hint: str) -> Path:
    hits = layout.find_page(root, slug, hint)
    assert len(hits) == 1, f"expected one page for {hint} '{slug}' in {root}, found {hits}"
    return hits[0]


@pytest.fixture(scope="session")
def sample(seed_site: Built, corpus) -> Sample:
    """A profile owner's page and the paper with the most authors (math in its abstract first)."""
    owners = sorted(s for s, a in corpus.authors.items() if a.profile) or sorted(corpus.authors)
    papers = sorted(
        corpus.papers.values(),
        key=lambda p: ("$" not in p.abstract, -len(p.authors), p.slug),
    )
    return Sample(
        index=seed_site.root / "index.html",
        author=_one(seed_site.root, owners[0], "author"),
        paper=_one(seed_site.root, papers[0].slug, "paper"),
    )


@pytest.fixture(scope="session")
def paper_pages(seed_site: Built, corpus) -> dict[str, Path]:
    """Each paper's page, found by its slug; a paper without exactly one page fails."""
    found = {s: layout.find_page(seed_site.root, s, "paper") for s in corpus.papers}
    missing = sorted(s for s, hits in found.items() if len(hits) != 1)
    assert not missing, f"papers without exactly one page: {missing[:20]}"
    return {s: hits[0] for s, hits in found.items()}


@pytest.fixture(scope="session")
def author_pages(seed_site: Built, corpus) -> dict[str, Path]:
    found = {s: layout.find_page(seed_site.root, s, "author") for s in corpus.authors}
    missing = sorted(s for s, hits in found.items() if len(hits) != 1)
    assert not missing, f"authors without exactly one page: {missing[:20]}"
    return {s: hits[0] for s, hits in found.items()}


# ---- servers ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def served_seed(seed_site: Built) -> Iterator[Site]:
    with serve(seed_site.root, seed_site.prefix) as site:
        yield site


@pytest.fixture(scope="session")
def served_evil(evil_site: Built) -> Iterator[Site]:
    with serve(evil_site.root, evil_site.prefix) as site:
        yield site


# ---- browser ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium(playwright_session) -> Iterator[object]:
    browser = launch(playwright_session)
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture(scope="session")
def axe_js() -> Path:
    return ensure_axe()


OpenPage = Callable[..., tuple[object, Watch]]


@pytest.fixture
def open_page(chromium) -> Iterator[OpenPage]:
    """``open_page(url, width=, height=, scheme=, media=)`` -> (page, what it did)."""
    contexts = []

    def open_(
        url: str,
        *,
        width: int = 1280,
        height: int = 900,
        scheme: str = "light",
        media: str = "screen",
    ):
        context = chromium.new_context(
            viewport={"width": width, "height": height},
            color_scheme=scheme,
            bypass_csp=True,
            reduced_motion="reduce",
        )
        contexts.append(context)
        page = context.new_page()
        page.emulate_media(media=media, color_scheme=scheme)
        seen = watch(page)
        page.goto(url, wait_until="load")
        return page, seen

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    folder = ARTIFACTS / "screens"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
