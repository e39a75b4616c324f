"""detect_shape judges the text alone: the real seeds and small synthetic variants."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.ingest.records import Shape
from sitegen.ingest.shapes import detect_shape, metric_of

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.mark.parametrize(
    ("prefix", "shape"),
    [
        ("000_", Shape.PROFILE),
        ("001_", Shape.COMPACT),
        ("002_", Shape.ABSTRACTS),
        ("003_", Shape.COMPACT),
        ("004_", Shape.COMPACT),
    ],
)
def test_real_seeds(prefix: str, shape: Shape) -> None:
    (path,) = SEEDS.glob(prefix + "*.txt")
    assert detect_shape(path.read_text(encoding="utf-8")) is shape


COMPACT = (
    "LGJun 2, 2023\n"
    "Centered Self-Attention LayersAmeen Ali, Tomer Galanti, Lior Wolf · meta-ai\n"
    "The self-attention mechanism is applied repeatedly.\n"
    "LGMar 3\n"
    "Directional Neural CollapseAchleshwar Luthra, Tomer Galanti\n"
    "Frozen representations transfer well.\n"
)

PROFILE_NO_HEADER = (
    "LGAug 3, 2023\n"
    "Tensor Programs IVb: Adaptive Optimization in the Infinite-Width Limit\n"
    "\n"
    "Greg Yang, Etai Littwin · microsoft-research\n"
    "\n"
    "Going beyond stochastic gradient descent.\n"
)


def test_compact_shape() -> None:
    assert detect_shape(COMPACT) is Shape.COMPACT


def test_compact_with_stray_lines_before_the_first_entry() -> None:
    assert detect_shape("some stray words\n\n" + COMPACT) is Shape.COMPACT


def test_spaced_entries_without_header_are_profile_layout() -> None:
    assert detect_shape(PROFILE_NO_HEADER) is Shape.PROFILE


def test_metrics_header_makes_a_profile() -> None:
    text = "Ada Lovelace\n\nh-index3\n12papers\n\n" + COMPACT
    assert detect_shape(text) is Shape.PROFILE


def test_abstracts_shape_with_crlf_free_blank_runs() -> None:
    text = "\n\nAbstract:One.\nAbstract:Two.\n\n\n\nAbstract:Three.\n"
    assert detect_shape(text) is Shape.ABSTRACTS


def test_abstracts_tolerate_a_minority_of_other_lines() -> None:
    assert detect_shape("Abstract:One.\nAbstract:Two.\nstray\n") is Shape.ABSTRACTS


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n\n",
        "# README\n\nThis is not a listing.\n",
        "Abstract:One.\nfoo\nbar\nbaz\n",
        "Collegial EnsemblesEtai Littwin, Ben Myara\nModern neural networks.\n",
    ],
)
def test_unknown_shapes(text: str) -> None:
    assert detect_shape(text) is None


def test_shape_ignores_the_file_name() -> None:
    # The same text is the same shape whatever it is called: detect_shape takes no name.
    assert detect_shape.__code__.co_argcount == 1


@pytest.mark.parametrize(
    ("line", "metric"),
    [
        ("h-index24", ("h_index", "24")),
        ("29papers", ("papers", "29")),
        ("866citations", ("citations", "866")),
        ("1,204citations", ("citations", "1,204")),
        ("Novelty56%", ("novelty", "56")),
        ("AI Score56", ("ai_score", "56")),
        ("AI Score 71.5", ("ai_score", "71.5")),
        ("29 Papers", None),
        ("Etai Littwin", None),
    ],
)
def test_metric_lines(line: str, metric: tuple[str, str] | None) -> None:
    assert metric_of(line) == metric
