"""A small generated project for incremental-build tests (plain module, no conftest clash)."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from sitegen.build import build as cold_build
from sitegen.content.model import Author, Link, Metrics, Paper
from sitegen.content.store import write_author, write_paper

FIRST = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "John", "Élise",
         "Søren", "Mei", "Ravi"]
LAST = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Backus",
        "Müller", "de la Cruz", "Chen", "Iyer"]
WORDS = ["sparse", "robust", "graph", "kernel", "policy", "bandit", "attention", "diffusion",
         "regret", "convex", "causal", "spectral", "transfer", "latent", "online"]
CATEGORIES = ["LG", "CV", "CL", "ST"]


def make_project(root: Path, n_papers: int = 30, n_authors: int = 14, seed: int = 3,
                 paginate: int | None = None) -> Path:
    """site.yaml and content/ with names, aliases, hidden owners, code links and math;
    ``paginate``: items per listing part (the site's default when None)."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(
        "title: Test Lab\nurl: https://lab.example.org\nbase_url: /lab/\nrecent: 5\n"
        + (f"paginate: {paginate}\n" if paginate is not None else ""),
        encoding="utf-8")
    content = root / "content"
    authors: list[Author] = []
    for i in range(n_authors):
        name = f"{FIRST[i % len(FIRST)]} {LAST[(i * 5 + i // len(FIRST)) % len(LAST)]}"
        slug = f"author-{i:02d}"
        profile = i < 3
        authors.append(Author(
            slug=slug, name=name, aliases=[f"{name[0]}. {name.split(' ', 1)[1]}"],
            profile=profile,
            metrics=Metrics(h_index=10 + i, citations=100 * i) if profile else Metrics(),
            affiliation="Example University" if i % 2 else "",
            bio=f"Works on **{WORDS[i % len(WORDS)]}** methods." if profile else "",
            links=[Link("Homepage", f"https://example.org/{slug}")] if profile else []))
    for author in authors:
        write_author(content, author)
    for i in range(n_papers):
        people = rng.sample(authors, rng.randint(1, 4))
        names = [p.name if rng.random() < 0.8 else p.aliases[0] for p in people]
        owners = [a.slug for a in authors[:3] if rng.random() < 0.2 and a not in people]
        title = " ".join(rng.sample(WORDS, 4)).capitalize() + f" {i}"
        code = rng.random() < 0.3
        abstract = (f"We study {rng.choice(WORDS)} learning with $\\alpha = O(T)$ regret. "
                    + ("Code: \\url{https://github.com/x/y" + str(i) + "}." if code else ""))
        write_paper(content, Paper(
            slug=f"paper-{i:03d}", title=title, authors=names, et_al=bool(owners),
            date=f"{2015 + rng.randint(0, 8)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            category=rng.choice(CATEGORIES), code=code,
            score=round(rng.random() * 10, 1) if rng.random() < 0.5 else None,
            abstract=abstract, profiles=owners, sources=["000.txt"]))
    return root


def built_project(root: Path) -> Path:
    """A generated project below ``root``, built once with its cache."""
    from sitegen.incremental import SiteBuilder

    project = make_project(root / "site")
    SiteBuilder(project).build()
    return project


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def cold_tree(project: Path, scratch: Path) -> dict[str, bytes]:
    """Output of the plain, uncached build of the project's current content."""
    out = scratch / "cold-output"
    if out.exists():
        shutil.rmtree(out)
    cold_build(project, out_dir=out, quiet=True)
    return tree(out)


def edit_yaml(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def copied(template: Path, scratch: Path) -> Path:
    """A fresh copy of a template project, for one test to change."""
    return Path(shutil.copytree(template, scratch / "site"))
