"""Loading and writing the content folder: ``papers/*.yaml`` and ``authors/*.yaml``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sitegen.content.names import is_content_name
from sitegen.content.model import Author, Paper
from sitegen.content.validate import author_from_dict, paper_from_dict
from sitegen.content.yamlio import atomic_write, dump_yaml, parse_yaml, read_text
from sitegen.errors import ContentError

PAPERS_DIR = "papers"
AUTHORS_DIR = "authors"


@dataclass
class Corpus:
    """Everything in a content folder, keyed by slug (the file's stem)."""

    papers: dict[str, Paper] = field(default_factory=dict)
    authors: dict[str, Author] = field(default_factory=dict)


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def load_paper(path: Path, root: Path) -> Paper:
    name = _display(path, root)
    text = read_text(path, name)
    return paper_from_dict(parse_yaml(text, name), path.stem, name, text)


def load_author(path: Path, root: Path) -> Author:
    name = _display(path, root)
    text = read_text(path, name)
    return author_from_dict(parse_yaml(text, name), path.stem, name, text)


def yaml_files(folder: Path) -> list[Path]:
    """Content files in a folder, sorted; editor droppings and hidden files are skipped."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if is_content_name(p.name))


def check_references(corpus: Corpus, root: Path) -> None:
    """Every profile a paper names must be an author file."""
    for slug, paper in sorted(corpus.papers.items()):
        for i, profile in enumerate(paper.profiles):
            if profile not in corpus.authors:
                file = _display(root / PAPERS_DIR / f"{slug}.yaml", root)
                raise ContentError(
                    f"unknown profile '{profile}' (no {AUTHORS_DIR}/{profile}.yaml)",
                    file=file,
                    key=f"profiles[{i}]",
                )


def load_corpus(root: Path) -> Corpus:
    """Load and validate a whole content folder (the simple, uncached path)."""
    corpus = Corpus()
    for path in yaml_files(root / AUTHORS_DIR):
        corpus.authors[path.stem] = load_author(path, root)
    for path in yaml_files(root / PAPERS_DIR):
        corpus.papers[path.stem] = load_paper(path, root)
    check_references(corpus, root)
    return corpus


def paper_path(root: Path, slug: str) -> Path:
    return root / PAPERS_DIR / f"{slug}.yaml"


def author_path(root: Path, slug: str) -> Path:
    return root / AUTHORS_DIR / f"{slug}.yaml"


def write_paper(root: Path, paper: Paper) -> bool:
    return atomic_write(paper_path(root, paper.slug), dump_yaml(paper.to_dict()))


def write_author(root: Path, author: Author) -> bool:
    return atomic_write(author_path(root, author.slug), dump_yaml(author.to_dict()))
