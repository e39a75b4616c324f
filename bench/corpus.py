"""Deterministic synthetic corpus for the benchmarks.

One seeded ``random.Random`` drives everything (no wall clock, no hashing of sets), so the
same ``(n_papers, seed)`` always yields byte-identical files. The corpus is written three ways:

* a sitegen ``content/`` folder, through the content model and ``store.write_*`` so the files
  are in exactly the format ``sitegen ingest`` writes;
* an equivalent Hugo site (one page per paper, one taxonomy term page per author);
* seed-format listings (profile and compact shapes) for timing ``sitegen ingest``.

Papers carry their full author list (2-8 names). Listings show at most three names followed by
``et al.``, as the real listing sites do, and the content folder holds what ingest makes of
that: the shown names, ``et_al``, and ``profiles`` naming every owner whose listing holds the
paper, including owners hidden behind ``et al.``.

Run ``python bench/corpus.py --papers 1000 --out DIR`` to write all three forms.
"""

from __future__ import annotations

import argparse
import bisect
import json
import random
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.content.model import Author, Link, Metrics, Paper
from sitegen.content.slugs import unique_slugs
from sitegen.content.store import write_author, write_paper

SHOWN_AUTHORS = 3  # listing sites print the first three names, then "et al."
AUTHOR_POOL_RATIO = 0.6
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
CATEGORIES = ("LG", "LG", "LG", "CV", "CV", "CL", "CL", "AI", "ML", "DC", "RO", "NE", "IR")
AFFILIATIONS = (
    "apple-ml", "meta-ai", "princeton", "mit", "eth-zurich", "technion", "deepmind",
    "stanford", "epfl", "tel-aviv", "inria", "mpi-is", "tsinghua", "kaist", "mila",
)

FIRST_NAMES = (
    "Etai", "Omid", "Tatiana", "Hattie", "Arwen", "Enric", "Emmanuel", "Samira", "Laurent",
    "Vimal", "Noam", "Itay", "Edward", "Rachel", "Daniel", "Brian", "Maxim", "Ron", "Elad",
    "Gal", "Yochai", "Chen", "Greg", "Tomer", "Lior", "Ameen", "Liu", "Botao", "Zachary",
    "Aparna", "Mengjia", "Liane", "Marcus", "Ido", "Shai", "Yulu", "Tomaso", "Nadav", "Jonathan",
    "David", "Saharsh", "Priyadarsi", "Varun", "Riccardo", "Tianrong", "Jiatao", "Mustafa",
    "Enrico", "Qihang", "Miguel", "Navdeep", "Jason", "Madhu", "Anna", "Maria", "Sofia", "Wei",
    "Yuki", "Hiroshi", "Priya", "Arjun", "Fatima", "Omar", "Lucas", "Emma", "Olivia", "Noah",
    "Ethan", "Chloe", "Hannah", "Felix", "Lena", "Jakob", "Clara", "Mateo", "Valentina", "Diego",
    "Camila", "Ivan", "Olga", "Dmitri", "Svetlana", "Kwame", "Amara", "Chidi", "Ngozi", "Minh",
    "Linh", "Seo-yeon", "Ji-ho", "Xin", "Yifan", "Rui", "Hao", "Mei", "Sanjay", "Kavya",
    # non-ASCII given names
    "András", "José", "François", "Jürgen", "Zoë", "Łukasz", "Søren", "Çağlar", "Ángel", "Björn",
    "Renée", "Joël", "Mihály", "Dóra", "Ítalo", "Gonçalo", "Małgorzata", "Åsa", "Thành", "Nicolás",
)
LAST_NAMES = (
    "Littwin", "Saremi", "Likhomanenko", "Zhou", "Bradley", "Boix-Adsera", "Abbe", "Abnar",
    "Dinh", "Thilak", "Razin", "Evron", "Moroshko", "Ward", "Soudry", "Chmiel", "Fishman",
    "Banner", "Hoffer", "Kaplun", "Blau", "Zeno", "Ongie", "Galanti", "Wolf", "Ali", "Ziyin",
    "Li", "Siegel", "Gupte", "Xu", "Hutter", "Ben-Shaul", "Dekel", "Gan", "Poggio", "Timor",
    "Mamou", "Koplow", "Koganti", "Mishra", "Sunkaraneni", "Chen", "Gu", "Shukor", "Fini",
    "Zhang", "Zhai", "Jaitly", "Ramapuram", "Advani", "Wang", "Liu", "Yang", "Huang", "Zhao",
    "Kim", "Park", "Lee", "Tanaka", "Suzuki", "Sato", "Patel", "Sharma", "Singh", "Gupta",
    "Okafor", "Mensah", "Nguyen", "Tran", "Smith", "Johnson", "Brown", "Miller", "Davis",
    "Garcia", "Rodriguez", "Martinez", "Lopez", "Wilson", "Anderson", "Taylor", "Thomas",
    "Moore", "Jackson", "White", "Harris", "Clark", "Lewis", "Walker", "Hall", "Young", "King",
    "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell",
    "Roberts", "Carter", "Phillips", "Evans", "Turner", "Torres", "Parker", "Collins", "Edwards",
    "Stewart", "Morris", "Murphy", "Cook", "Rogers", "Morgan", "Peterson", "Cooper", "Reed",
    "Bailey", "Bell", "Kelly", "Howard", "Ward-Smith", "Cox", "Diaz", "Richardson", "Wood",
    "Watson", "Brooks", "Bennett", "Gray", "James", "Reyes", "Cruz", "Hughes", "Price", "Myers",
    "Long", "Foster", "Sanders", "Ross", "Morales", "Powell", "Sullivan", "Russell", "Ortiz",
    "Jenkins", "Perry", "Butler", "Barnes", "Fisher", "Henderson", "Coleman", "Simmons",
    "Petrov", "Ivanova", "Kowalski", "Novak", "Horvat", "Jensen", "Larsen", "Berg", "Lund",
    # non-ASCII family names
    "György", "Müller", "Gómez", "Dvořák", "Øksendal", "Nguyễn", "Gülçehre", "Šimánek",
    "Wójcik", "Lévy", "Sánchez", "Pérez", "Jiménez", "Schäfer", "Böhm", "Ólafsson", "Çelik",
    "Yılmaz", "Ferreira-Gonçalves", "Håkansson", "Đorđević", "Núñez", "Kühn", "Bjørnstad",
)
PARTICLES = ("van der", "van", "de", "von", "da", "de la", "Le", "di", "ben", "dos")

ADJECTIVES = (
    "Efficient", "Scalable", "Robust", "Provable", "Implicit", "Sparse", "Adaptive", "Stable",
    "Causal", "Contrastive", "Generative", "Hierarchical", "Continual", "Federated", "Optimal",
    "Private", "Equivariant", "Bayesian", "Neural", "Quantized", "Low-Rank", "Multimodal",
)
NOUNS = (
    "Transformers", "Attention", "Diffusion Models", "Gradient Descent", "Representations",
    "Language Models", "Kernels", "Normalizing Flows", "Regularization", "Generalization",
    "Optimizers", "Embeddings", "Autoencoders", "Policies", "World Models", "Graph Networks",
    "Tokenizers", "Sampling", "Distillation", "Quantization", "Mixtures of Experts", "Agents",
)
TASKS = (
    "Length Generalization", "Image Classification", "Speech Recognition", "Machine Translation",
    "Few-Shot Transfer", "Continual Learning", "Reinforcement Learning", "Video Generation",
    "Relational Reasoning", "Retrieval", "Protein Design", "Code Synthesis", "Denoising",
    "Long-Context Inference", "Self-Supervised Learning", "Anomaly Detection",
)
METHODS = (
    "Spectral Normalization", "Rank Minimization", "Stochastic Rounding", "Phase Bridges",
    "Block Sparsity", "Kernel Regression", "Variance Reduction", "Curriculum Search",
    "Linear Probing", "Score Matching", "Test-Time Search", "Weight Averaging",
)
SENTENCES = (
    "We study {noun} in the setting of {task} and ask when {method} is enough.",
    "Training stability is of great importance to {noun}, yet it remains poorly understood.",
    "In this work, we investigate the dynamics of {noun} by examining {method} during training.",
    "We identify a common pattern across architectures, where {adj} {noun} accompany instability.",
    "As a remedy, we propose {acro}, a simple and {adj2} solution based on {method}.",
    "We prove a tight bound showing that the error decays as {math} under mild assumptions.",
    "Our experiments on {task} show improvements of up to {pct}\\% over strong baselines.",
    "We denote this phenomenon as {latex}, and show it predicts failures on {task}.",
    "On the theoretical side, we give a simple example where {method} fails but {acro} does not.",
    "Code is available at \\url{{https://github.com/{user}/{repo}}}.",
    "Moreover, we leverage {method} to drastically improve {task} with {math}.",
    "This simple conjecture captures most known instances of {latex} in {noun}.",
    "We find that {noun} trained with {method} reduce the cost by {pct}\\% at equal accuracy.",
    "Finally, we validate our findings with {noun} on {task}, illustrating how {math} matters.",
    "Unlike prior work, our analysis does not require {latex} nor access to {method}.",
    "We conduct experiments with {acro} on {task}, {task2} and language modeling tasks.",
)
MATH = (
    "$\\alpha = O(T)$", "$σ$", "$T/\\ln T$", "$\\sqrt{{3}}$", "$\\ell^2$", "$O(n \\log n)$",
    "$\\sim {pct} \\%$", "$γ$", "$L^1$", "$\\epsilon \\to 0$", "$k = {pct}$", "$\\mathbb{{E}}[X]$",
)
LATEX = (
    "\\textit{{{w}}}", "\\emph{{{w}}}", "{{\\em {w}}}", "\\textbf{{{w}}}", "$\\textit{{{w}}}$",
)
FILLER = (
    "The approach is simple to implement and adds negligible overhead.",
    "We further discuss the implications for practitioners and open questions.",
    "These results hold across model sizes and data regimes that we consider.",
    "Our analysis reveals a trade-off that explains earlier empirical observations.",
    "We release our implementation and all experimental configurations.",
    "Empirically, the effect strengthens as the hidden dimension grows.",
    "This yields a flatter loss landscape and a higher effective signal-to-noise ratio.",
    "We show both analytically and empirically that the effect appears only late in training.",
)
ABSTRACT_WORDS = 200


@dataclass
class SynthAuthor:
    """A person in the pool; ``owner`` marks a profile whose listing is a seed."""

    name: str
    slug: str = ""
    aliases: list[str] = field(default_factory=list)
    owner: bool = False
    affiliation: str = ""
    metrics: Metrics = field(default_factory=Metrics)


@dataclass
class SynthPaper:
    slug: str
    title: str
    authors: list[str]  # full list, as the paper itself has it
    date: str
    category: str
    code: bool
    score: float | None
    affiliations: list[str]
    abstract: str
    date_inferred: bool = False
    owners: list[str] = field(default_factory=list)  # slugs of owners among the authors

    @property
    def shown(self) -> list[str]:
        return self.authors[:SHOWN_AUTHORS]

    @property
    def et_al(self) -> bool:
        return len(self.authors) > SHOWN_AUTHORS


@dataclass
class SynthCorpus:
    papers: list[SynthPaper]
    authors: dict[str, SynthAuthor]  # name -> author (aliases resolve through by_alias)
    seed: int

    def used_authors(self) -> list[SynthAuthor]:
        """Authors a content folder needs: shown on some paper, or owning a listing."""
        names: set[str] = set()
        for paper in self.papers:
            names.update(paper.shown)
        alias_owner = self.alias_index()
        needed = {alias_owner.get(n, n) for n in names}
        needed.update(a.name for a in self.authors.values() if a.owner)
        return sorted((self.authors[n] for n in needed), key=lambda a: a.slug)

    def alias_index(self) -> dict[str, str]:
        return {alias: a.name for a in self.authors.values() for alias in a.aliases}

    def owners(self) -> list[SynthAuthor]:
        return sorted((a for a in self.authors.values() if a.owner), key=lambda a: a.slug)


# --------------------------------------------------------------------------- generation


def _make_name(rng: random.Random) -> str:
    first = rng.choice(FIRST_NAMES)
    last = rng.choice(LAST_NAMES)
    roll = rng.random()
    if roll < 0.12:
        return f"{first} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {last}"
    if roll < 0.20:
        return f"{first} {rng.choice(PARTICLES)} {last}"
    if roll < 0.26:
        return f"{first} {rng.choice(LAST_NAMES)} {last}"
    if roll < 0.29:
        return f"{first[0]}. {rng.choice(FIRST_NAMES)} {last}"
    return f"{first} {last}"


def _initials_alias(name: str) -> str:
    parts = name.split(" ")
    return f"{parts[0][0]}. {' '.join(parts[1:])}"


def _author_pool(rng: random.Random, size: int) -> list[SynthAuthor]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < size:
        name = _make_name(rng)
        if name not in seen:
            seen.add(name)
            names.append(name)
    pool = [SynthAuthor(name=n, affiliation=rng.choice(AFFILIATIONS)) for n in names]
    # Some people appear under an initialled variant too; the alias must not be anyone's name.
    for author in pool:
        if rng.random() < 0.05 and author.name[1:2] != ".":
            alias = _initials_alias(author.name)
            if alias not in seen:
                seen.add(alias)
                author.aliases.append(alias)
    return pool


def _zipf_cum_weights(size: int, exponent: float = 0.85, offset: float = 8.0) -> list[float]:
    """Zipf-Mandelbrot popularity: a few prolific authors, a long tail of one-paper authors."""
    total = 0.0
    cum: list[float] = []
    for rank in range(size):
        total += 1.0 / (rank + 1 + offset) ** exponent
        cum.append(total)
    return cum


def _pick_authors(rng: random.Random, pool: list[SynthAuthor], cum: list[float], k: int) -> list:
    chosen: list[SynthAuthor] = []
    taken: set[int] = set()
    total = cum[-1]
    while len(chosen) < k:
        i = bisect.bisect_left(cum, rng.random() * total)
        i = min(i, len(pool) - 1)
        if i not in taken:
            taken.add(i)
            chosen.append(pool[i])
    return chosen


def _fill(rng: random.Random, template: str) -> str:
    words = ("entropy collapse", "explores", "directional", "workspace", "grokking", "lazy")
    pct = str(rng.randint(2, 95))
    values = {
        "noun": rng.choice(NOUNS).lower(),
        "task": rng.choice(TASKS).lower(),
        "task2": rng.choice(TASKS).lower(),
        "method": rng.choice(METHODS).lower(),
        "adj": rng.choice(ADJECTIVES).lower(),
        "adj2": rng.choice(ADJECTIVES).lower(),
        "acro": "".join(rng.choice("ABCDEFGHIKLMNPRSTUVX") for _ in range(rng.randint(3, 5))),
        "pct": pct,
        "math": rng.choice(MATH).format(pct=pct),
        "latex": rng.choice(LATEX).format(w=rng.choice(words)),
        "user": rng.choice(("apple", "facebookresearch", "google-research", "openai", "lab42")),
        "repo": f"{rng.choice(('ml', 'fast', 'tiny', 'deep'))}-{rng.choice(words).split()[0]}",
    }
    return template.format(**values)


def _abstract(rng: random.Random) -> str:
    sentences: list[str] = []
    words = 0
    while words < ABSTRACT_WORDS:
        use_template = rng.random() < 0.7
        sentence = _fill(rng, rng.choice(SENTENCES)) if use_template else rng.choice(FILLER)
        sentences.append(sentence)
        words += len(sentence.split())
    return " ".join(sentences)


def _title(rng: random.Random) -> str:
    adj, adj2 = rng.choice(ADJECTIVES), rng.choice(ADJECTIVES)
    noun, noun2 = rng.choice(NOUNS), rng.choice(NOUNS)
    task, method = rng.choice(TASKS), rng.choice(METHODS)
    acro = "".join(rng.choice("ABCDEFGHIKLMNPRSTUVX") for _ in range(rng.randint(3, 6)))
    templates = (
        f"{adj} {noun} for {task}",
        f"{adj} {noun} for {task} with {method}",
        f"On the {noun} of {adj} {noun2}",
        f"{acro}: {adj} {noun} via {method}",
        f"How do {adj} {noun} Learn {task}?",
        f"{method} Meets {noun}: A Study in {task}",
        f"Towards {adj} and {adj2} {noun} for {task}",
        f"When Does {method} Help {adj} {noun}?",
    )
    return rng.choice(templates)


def _title_key(title: str) -> str:
    return " ".join(re.findall(r"\w+", title.casefold()))


def _unique_title(rng: random.Random, seen: set[str]) -> str:
    """Distinct papers get distinct titles: ingest identifies a paper by its title's words."""
    for attempt in range(50):
        title = _title(rng)
        if rng.random() < 0.2 or attempt >= 10:
            title = f"{title} ({rng.choice(('Extended', 'Revisited', 'II', 'at Scale'))})"
        if _title_key(title) not in seen:
            break
    else:
        title = f"{title} (Part {len(seen)})"
    seen.add(_title_key(title))
    return title


def _date(rng: random.Random) -> str:
    year = rng.randint(2015, 2025)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    return f"{year:04d}-{month:02d}-{day:02d}"


def generate(n_papers: int, seed: int = 0, n_owners: int | None = None) -> SynthCorpus:
    """Build the corpus in memory; the same arguments always give the same corpus."""
    rng = random.Random(seed)
    pool = _author_pool(rng, max(4, int(n_papers * AUTHOR_POOL_RATIO)))
    cum = _zipf_cum_weights(len(pool))
    if n_owners is None:
        n_owners = max(3, n_papers // 500)
    # Owners are drawn from the popular end of the pool, as real profile owners are prolific.
    head = pool[: max(n_owners * 4, 10)]
    for author in rng.sample(head, min(n_owners, len(head))):
        author.owner = True
    slugs = unique_slugs((a.name, a.name) for a in pool)
    for author in pool:
        author.slug = slugs[author.name]

    raw: list[tuple[str, list[str], str]] = []
    seen_titles: set[str] = set()
    for i in range(n_papers):
        title = _unique_title(rng, seen_titles)
        people = _pick_authors(rng, pool, cum, rng.randint(2, 8))
        names = [
            p.aliases[0] if p.aliases and rng.random() < 0.3 else p.name for p in people
        ]
        raw.append((f"{i:08d}", names, title))
    paper_slugs = unique_slugs((key, title) for key, _, title in raw)
    by_name = {a.name: a for a in pool}
    by_name.update({alias: a for a in pool for alias in a.aliases})
    papers: list[SynthPaper] = []
    for key, names, title in raw:
        owners = sorted({by_name[n].slug for n in names if by_name[n].owner})
        papers.append(
            SynthPaper(
                slug=paper_slugs[key],
                title=title,
                authors=names,
                date=_date(rng),
                category=rng.choice(CATEGORIES),
                code=rng.random() < 0.25,
                score=round(rng.uniform(70, 99), 1) if rng.random() < 0.1 else None,
                affiliations=sorted(set(rng.sample(AFFILIATIONS, rng.randint(0, 2)))),
                abstract=_abstract(rng),
                owners=owners,
            )
        )
    counts: dict[str, int] = {}
    for paper in papers:
        for slug in paper.owners:
            counts[slug] = counts.get(slug, 0) + 1
    for author in pool:
        if author.owner:
            n = counts.get(author.slug, 0)
            author.metrics = Metrics(
                h_index=rng.randint(5, 80),
                papers=n,
                citations=rng.randint(100, 60000),
                novelty=float(rng.randint(20, 95)),
                ai_score=float(rng.randint(20, 99)),
            )
    return SynthCorpus(papers=papers, authors={a.name: a for a in pool}, seed=seed)


# --------------------------------------------------------------------------- sitegen content


def listing_name(owner: SynthAuthor) -> str:
    return f"profile-{owner.slug}.txt"


def to_paper(paper: SynthPaper, by_slug: dict[str, SynthAuthor]) -> Paper:
    """The record ``sitegen ingest`` would write for this paper's listing entry."""
    sources = [listing_name(by_slug[s]) for s in paper.owners] or ["synthetic.txt"]
    return Paper(
        slug=paper.slug,
        title=paper.title,
        authors=list(paper.shown),
        et_al=paper.et_al,
        date=paper.date,
        date_inferred=paper.date_inferred,
        category=paper.category,
        code=paper.code,
        score=paper.score,
        affiliations=list(paper.affiliations),
        abstract=paper.abstract,
        profiles=list(paper.owners),
        sources=sources,
    )


def to_author(author: SynthAuthor) -> Author:
    bio = ""
    links: list[Link] = []
    if author.owner:
        bio = (
            f"{author.name} works on *{author.affiliation}* projects in machine learning.\n\n"
            "Research interests: optimization, generalization, and efficient training."
        )
        links = [Link(label="Homepage", url=f"https://example.org/~{author.slug}")]
    return Author(
        slug=author.slug,
        name=author.name,
        aliases=list(author.aliases),
        profile=author.owner,
        metrics=author.metrics if author.owner else Metrics(),
        affiliation=author.affiliation if author.owner else "",
        bio=bio,
        links=links,
    )


def write_content(corpus: SynthCorpus, root: Path) -> tuple[int, int]:
    """Write ``root/papers`` and ``root/authors``; returns (papers, authors) written."""
    (root / "papers").mkdir(parents=True, exist_ok=True)
    (root / "authors").mkdir(parents=True, exist_ok=True)
    authors = corpus.used_authors()
    for author in authors:
        write_author(root, to_author(author))
    by_slug = {a.slug: a for a in corpus.authors.values()}
    for paper in corpus.papers:
        write_paper(root, to_paper(paper, by_slug))
    return len(corpus.papers), len(authors)


# --------------------------------------------------------------------------- Hugo site

HUGO_CONFIG = """\
baseURL = "https://example.org/"
languageCode = "en"
title = "Synthetic research corpus"
enableRobotsTXT = true
removePathAccents = true

# The same set of outputs sitegen writes: a page and a BibTeX file per paper; per author a
# page, an Atom/RSS feed, an embeddable card (HTML and JSON) and an oEmbed document; category
# and year pages; home page with feed, sitemap, robots.txt and 404.
[taxonomies]
  author = "authors"
  category = "categories"
  year = "years"

[mediaTypes."text/x-bibtex"]
  suffixes = ["bib"]

[outputFormats.bib]
  mediaType = "text/x-bibtex"
  baseName = "paper"
  isPlainText = true
[outputFormats.card]
  mediaType = "text/html"
  baseName = "card"
  isHTML = true
[outputFormats.cardjson]
  mediaType = "application/json"
  baseName = "card"
  isPlainText = true
[outputFormats.oembed]
  mediaType = "application/json"
  baseName = "oembed"
  isPlainText = true

[outputs]
  home = ["HTML", "RSS"]
  section = ["HTML"]
  taxonomy = ["HTML"]
  term = ["HTML"]
  page = ["HTML", "bib"]

[markup.goldmark.renderer]
  unsafe = false
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} | {{ .Site.Title }}</title>
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header>
<main>
{{ block "main" . }}{{ end }}
</main>
</body>
</html>
""",
    "_default/single.html": """\
{{ define "main" }}
<article class="paper">
<h1>{{ .Title }}</h1>
<p class="meta">{{ .Params.category }} · <time datetime="{{ .Date.Format "2006-01-02" }}">\
{{ .Date.Format "Jan 2, 2006" }}</time>{{ if .Params.code }} · Code{{ end }}</p>
<p class="authors">{{ range $i, $name := .Params.author_names }}{{ if $i }}, {{ end }}\
<a href="{{ printf "/authors/%s/" (index $.Params.authors $i) | relURL }}">{{ $name }}</a>\
{{ end }}{{ if .Params.et_al }} et al.{{ end }}</p>
<section class="abstract">{{ .Content }}</section>
</article>
{{ end }}
""",
    "_default/list.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ul>
{{ end }}
""",
    "_default/taxonomy.html": """\
{{ define "main" }}
<h1>Authors</h1>
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> ({{ len .Pages }})</li>
{{ end }}</ul>
{{ end }}
""",
    "_default/term.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ with .Params.metrics }}<dl class="metrics">\
<dt>h-index</dt><dd>{{ .h_index }}</dd><dt>Papers</dt><dd>{{ .papers }}</dd>\
<dt>Citations</dt><dd>{{ .citations }}</dd></dl>{{ end }}
{{ .Content }}
<ul class="papers">
{{ range .Pages.ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> \
<time>{{ .Date.Format "2006-01-02" }}</time></li>
{{ end }}</ul>
{{ end }}
""",
    "_default/single.bib.bib": """\
@article{{ "{" }}{{ .File.ContentBaseName }},
  title = {{ "{" }}{{ .Title }}{{ "}" }},
  author = {{ "{" }}{{ delimit .Params.author_names " and " }}{{ if .Params.et_al }} and others\
{{ end }}{{ "}" }},
  year = {{ "{" }}{{ .Date.Year }}{{ "}" }}
}
""",
    "_default/term.card.html": """\
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body class="card"><h1><a href="{{ .RelPermalink }}" target="_top">{{ .Title }}</a></h1>
<ol>{{ range first 10 .Pages.ByDate.Reverse }}<li><a href="{{ .RelPermalink }}" target="_top">\
{{ .Title }}</a> {{ .Date.Year }}</li>{{ end }}</ol></body></html>
""",
    "_default/term.cardjson.json": """\
{{- $papers := slice -}}
{{- range .Pages.ByDate.Reverse -}}
{{- $papers = $papers | append (dict "title" .Title "url" .RelPermalink \
"date" (.Date.Format "2006-01-02") "authors" .Params.author_names) -}}
{{- end -}}
{{- dict "schema_version" 1 "name" .Title "url" .RelPermalink "metrics" .Params.metrics \
"paper_count" (len .Pages) "papers" $papers | jsonify (dict "indent" "  ") }}
""",
    "_default/term.oembed.json": """\
{{- dict "version" "1.0" "type" "rich" "title" (printf "Publications of %s" .Title) \
"author_name" .Title "author_url" .RelPermalink \
"html" (printf "<iframe src=%q></iframe>" (printf "%scard.html" .RelPermalink)) \
| jsonify (dict "indent" "  ") }}
""",
    "404.html": """\
{{ define "main" }}<h1>Page not found</h1>{{ end }}
""",
}


def _front_matter(data: dict) -> str:
    # JSON front matter: exact, fast to parse, and no YAML quoting pitfalls.
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def write_hugo(corpus: SynthCorpus, site: Path) -> int:
    """Write an equivalent Hugo site; returns the number of content files written."""
    if site.exists():
        shutil.rmtree(site)
    (site / "content" / "papers").mkdir(parents=True)
    (site / "content" / "authors").mkdir(parents=True)
    (site / "config.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for rel, text in HUGO_LAYOUTS.items():
        path = site / "layouts" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (site / "content" / "papers" / "_index.md").write_text(
        _front_matter({"title": "Papers"}), encoding="utf-8"
    )
    (site / "content" / "authors" / "_index.md").write_text(
        _front_matter({"title": "Authors"}), encoding="utf-8"
    )
    alias_owner = corpus.alias_index()
    written = 2
    for paper in corpus.papers:
        slugs = [corpus.authors[alias_owner.get(n, n)].slug for n in paper.shown]
        # Owners hidden behind "et al." still list the paper on their page, as in sitegen.
        slugs += [s for s in paper.owners if s not in slugs]
        front = {
            "title": paper.title,
            "date": paper.date,
            "authors": slugs,
            # Names beside the term slugs: links need no per-page term lookup (GetTerms
            # scans the taxonomy and made Hugo's build quadratic in the number of authors).
            "author_names": list(paper.shown),
            "category": paper.category,
            "code": paper.code,
            "et_al": paper.et_al,
            "categories": [paper.category],
            "years": [paper.date[:4]],
        }
        text = _front_matter(front) + "\n" + paper.abstract + "\n"
        (site / "content" / "papers" / f"{paper.slug}.md").write_text(text, encoding="utf-8")
        written += 1
    for author in corpus.used_authors():
        front: dict = {
            "title": author.name,
            "outputs": ["HTML", "RSS", "card", "cardjson", "oembed"],
        }
        body = ""
        if author.owner:
            front["metrics"] = author.metrics.to_dict()
            body = to_author(author).bio
        folder = site / "content" / "authors" / author.slug
        folder.mkdir()
        (folder / "_index.md").write_text(_front_matter(front) + "\n" + body + "\n", "utf-8")
        written += 1
    return written


# --------------------------------------------------------------------------- seed listings


def _listing_date(paper: SynthPaper, yearless: bool) -> str:
    year, month, day = paper.date.split("-")
    text = f"{MONTHS[int(month) - 1]} {int(day)}"
    return text if yearless else f"{text}, {int(year)}"


def _header_line(paper: SynthPaper, yearless: bool) -> str:
    score = f"{paper.score}" if paper.score is not None else ""
    code = "Code" if paper.code else ""
    return f"{score}{paper.category}{_listing_date(paper, yearless)}{code}"


def _authors_line(paper: SynthPaper) -> str:
    text = ", ".join(paper.shown) + (" et al." if paper.et_al else "")
    if paper.affiliations:
        text += " · " + ", ".join(paper.affiliations)
    return text


def profile_listing(owner: SynthAuthor, papers: list[SynthPaper], yearless: set[str]) -> str:
    """Profile shape (like seeds/000): header with name and metrics, spaced blocks."""
    m = owner.metrics
    top = max(sorted(CATEGORIES), key=lambda c: sum(p.category == c for p in papers))
    lines = [
        owner.name,
        "",
        top,
        f"h-index{m.h_index}",
        f"{len(papers)}papers",
        f"{m.citations}citations",
        f"Novelty{int(m.novelty or 0)}%",
        f"AI Score{int(m.ai_score or 0)}",
        "",
        f"{len(papers)} Papers",
        "",
    ]
    for paper in papers:
        lines += [
            _header_line(paper, paper.slug in yearless),
            paper.title,
            "",
            _authors_line(paper),
            "",
            paper.abstract,
            "",
        ]
    return "\n".join(lines) + "\n"


def compact_listing(papers: list[SynthPaper], yearless: set[str]) -> str:
    """Compact shape (like seeds/001): no header, title glued to the author line."""
    lines: list[str] = []
    for paper in papers:
        lines += [
            _header_line(paper, paper.slug in yearless),
            paper.title + _authors_line(paper),
            paper.abstract,
        ]
    return "\n".join(lines) + "\n"


def listing_corpus(n_entries: int, n_files: int = 6, repeat: float = 0.1, seed: int = 0):
    """Papers arranged into ``n_files`` owner listings totalling ``n_entries`` entries.

    A fraction ``repeat`` of the papers carries a second owner and so is listed twice (the same
    entry in two files), as co-authored papers are in real dumps. Returns
    ``(corpus, [(owner, papers), ...])``.
    """
    unique = max(n_files, round(n_entries / (1 + repeat)))
    corpus = generate(unique, seed=seed, n_owners=0)
    rng = random.Random(seed + 1)
    pool = [a for a in corpus.authors.values() if not a.aliases]
    owners = pool[:n_files]
    for owner in owners:
        owner.owner = True
    listings: list[list[SynthPaper]] = [[] for _ in owners]
    remaining = n_entries
    for i, paper in enumerate(corpus.papers):
        picks = [i % n_files]
        left = len(corpus.papers) - i
        # Spread the repeats evenly while hitting n_entries exactly.
        if n_files > 1 and rng.random() < (remaining - left) / left:
            picks.append((i + 1 + rng.randrange(n_files - 1)) % n_files)
        for k in picks:
            owner = owners[k]
            if owner.name not in paper.authors:
                # Usually visible (so a compact listing's owner can be inferred), sometimes
                # hidden behind "et al.".
                visible = rng.random() < 0.8
                pos = rng.randrange(min(len(paper.authors), SHOWN_AUTHORS)) if visible else (
                    rng.randrange(len(paper.authors) + 1)
                )
                paper.authors.insert(pos, owner.name)
            listings[k].append(paper)
        remaining -= len(picks)
    by_name = {a.name: a for a in corpus.authors.values()}
    for paper in corpus.papers:
        paper.owners = sorted({by_name[n].slug for n in paper.authors if n in by_name
                               and by_name[n].owner})
    for owner, papers in zip(owners, listings, strict=True):
        owner.metrics = Metrics(
            h_index=rng.randint(5, 80),
            papers=len(papers),
            citations=rng.randint(100, 60000),
            novelty=float(rng.randint(20, 95)),
            ai_score=float(rng.randint(20, 99)),
        )
    return corpus, list(zip(owners, listings, strict=True))


def write_listings(out: Path, n_entries: int, n_files: int = 6, seed: int = 0) -> list[Path]:
    """Write seed-format files, alternating profile and compact shapes; returns their paths.

    About 5% of entries show a date without a year (as listings do for the current year);
    ingest them with ``--as-of``.
    """
    corpus, listings = listing_corpus(n_entries, n_files=n_files, seed=seed)
    rng = random.Random(seed + 2)
    yearless = {p.slug for p in corpus.papers if rng.random() < 0.05}
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for k, (owner, papers) in enumerate(listings):
        if k % 2 == 0:
            text = profile_listing(owner, papers, yearless)
        else:
            text = compact_listing(papers, yearless)
        path = out / f"{k:03d}_{owner.slug}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


# --------------------------------------------------------------------------- command line


def write_all(n_papers: int, out: Path, seed: int = 0) -> dict[str, int]:
    """Write ``out/sitegen/content`` and ``out/hugo``; returns counts for reporting."""
    corpus = generate(n_papers, seed=seed)
    content = out / "sitegen" / "content"
    if content.exists():
        shutil.rmtree(content)
    papers, authors = write_content(corpus, content)
    hugo_files = write_hugo(corpus, out / "hugo")
    return {"papers": papers, "authors": authors, "hugo_files": hugo_files}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--listing-entries", type=int, default=0,
                        help="also write seed-format listings with this many entries")
    parser.add_argument("--listing-files", type=int, default=6)
    args = parser.parse_args(argv)
    counts = write_all(args.papers, args.out, seed=args.seed)
    print(f"content: {counts['papers']} papers, {counts['authors']} authors; "
          f"hugo: {counts['hugo_files']} content files -> {args.out}")
    if args.listing_entries:
        paths = write_listings(args.out / "seeds", args.listing_entries,
                               n_files=args.listing_files, seed=args.seed)
        print(f"listings: {len(paths)} files in {args.out / 'seeds'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = [
    "SynthAuthor", "SynthCorpus", "SynthPaper", "compact_listing", "generate", "listing_corpus",
    "profile_listing", "to_author", "to_paper", "write_all", "write_content", "write_hugo",
    "write_listings",
]
