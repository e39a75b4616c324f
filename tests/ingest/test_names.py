"""The name grammar, author lists, glued title/author lines and the identity key."""

from __future__ import annotations

import pytest

from sitegen.ingest.names import (
    glued_candidates,
    looks_like_name,
    name_key,
    parse_author_line,
    parse_author_list,
    split_glued,
)


@pytest.mark.parametrize(
    "name",
    [
        "Etai Littwin",
        "Quoc V. Le",
        "J. Zico Kolter",
        "Diederik P Kingma",
        "Laurens van der Maaten",
        "Victor Guilherme Turrisi da Costa",
        "Ludwig von Mises",
        "Ricardo dos Santos",
        "Nando de Freitas",
        "Marco di Angelo",
        "Jean du Pont",
        "Ahmad bin Abdullah",
        "Omar al Haddad",
        "Hassan al-Farabi",
        "Jean d'Alembert",
        "Enric Boix-Adsera",
        "Chun-Liang Li",
        "Seán O'Brien",
        "Renée D'Amour",
        "Ryan McDonald",
        "Yann LeCun",
        "James DiCarlo",
        "Łukasz Kaiser",
        "András György",
        "Jürgen Schmidhuber",
        "Élodie Martin",
        "Ömer Faruk",
        "J.-P. Sartre",
        "A. J. Smith",
        "J.R. Smith",
        "Martin Luther King Jr.",
        "John Smith III",
        "Mor Shpigel Nacson",
        "Ev Zisselman",
        "Liu Ziyin",
    ],
)
def test_names(name: str) -> None:
    assert looks_like_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "Zisselman",  # one token
        "RLEv Zisselman",  # acronym glued to a name
        "LLMsMaxim Fishman",
        "Ev zisselman",  # lowercase surname
        "van der Maaten",  # particle first
        "Ann Lee van",  # particle last
        "Jr. Smith",  # suffix first
        "Ann Lee et al.",
        "Ann Lee2",
        "Ann (Lee)",
        "Ann Lee:",
        'Superintelligence"David Koplow',
        " Ann Lee",
        "Ann Lee ",
        "Ann-",
        "A B C D E F G H I",  # no word at all
        "One Two Three Four Five Six Seven Eight Nine",  # too many tokens
        "Ann O'",
        "Ann Le-",
    ],
)
def test_not_names(name: str) -> None:
    assert not looks_like_name(name)


def test_author_list_with_et_al() -> None:
    assert parse_author_list("Shuangfei Zhai, Tatiana Likhomanenko, Etai Littwin et al.") == (
        ["Shuangfei Zhai", "Tatiana Likhomanenko", "Etai Littwin"],
        True,
    )


def test_author_list_complete() -> None:
    assert parse_author_list("Greg Yang, Etai Littwin") == (["Greg Yang", "Etai Littwin"], False)


def test_author_list_et_al_after_a_comma() -> None:
    assert parse_author_list("Greg Yang, Etai Littwin, et al.") == (
        ["Greg Yang", "Etai Littwin"],
        True,
    )


def test_author_list_rejects_a_non_name() -> None:
    with pytest.raises(ValueError, match="not a name: 'the cat'"):
        parse_author_list("Greg Yang, the cat")


def test_author_line_with_affiliations() -> None:
    line = parse_author_line(
        "Hattie Zhou, Arwen Bradley, Etai Littwin et al. · apple-ml, princeton"
    )
    assert line is not None
    assert line.authors == ["Hattie Zhou", "Arwen Bradley", "Etai Littwin"]
    assert line.et_al is True
    assert line.affiliations == ["apple-ml", "princeton"]
    assert line.clean == line.authors


def test_author_line_accepts_unusual_names_but_marks_them_unclean() -> None:
    line = parse_author_line("Ann Lee, Mausam, LIU Yang")
    assert line is not None
    assert line.authors == ["Ann Lee", "Mausam", "LIU Yang"]
    assert line.clean == ["Ann Lee"]


def test_author_line_rejects_short_lowercase_phrases() -> None:
    assert parse_author_line("Short abstract, really") is None
    line = parse_author_line("Hassan al-Farabi, Jean d'Alembert, Laurens van der Maaten")
    assert line is not None
    assert line.clean == line.authors


def test_author_line_rejects_an_abstract() -> None:
    text = (
        "Deep learning techniques are renowned for supporting effective transfer learning. "
        "However, as we demonstrate, the transferred representations support few modes."
    )
    assert parse_author_line(text) is None


# --------------------------------------------------------------------------- glued lines


@pytest.mark.parametrize(
    ("line", "title", "authors", "et_al"),
    [
        (
            "Explore to Generalize in Zero-Shot RLEv Zisselman, Itai Lavie, Daniel Soudry et al.",
            "Explore to Generalize in Zero-Shot RL",
            ["Ev Zisselman", "Itai Lavie", "Daniel Soudry"],
            True,
        ),
        (
            "Normalized Architectures are Natively 4-BitMaxim Fishman, Brian Chmiel, Ron Banner et al.",
            "Normalized Architectures are Natively 4-Bit",
            ["Maxim Fishman", "Brian Chmiel", "Ron Banner"],
            True,
        ),
        (
            "Scaling FP8 training to trillion-token LLMsMaxim Fishman, Brian Chmiel",
            "Scaling FP8 training to trillion-token LLMs",
            ["Maxim Fishman", "Brian Chmiel"],
            False,
        ),
        (
            "How catastrophic can catastrophic forgetting be in linear regression?"
            "Itay Evron, Edward Moroshko, Rachel Ward et al.",
            "How catastrophic can catastrophic forgetting be in linear regression?",
            ["Itay Evron", "Edward Moroshko", "Rachel Ward"],
            True,
        ),
        (
            'Tool Building as a Path to "Superintelligence"David Koplow, Tomer Galanti',
            'Tool Building as a Path to "Superintelligence"',
            ["David Koplow", "Tomer Galanti"],
            False,
        ),
        (
            "Distributed Speculative Inference (DSI)Nadav Timor, Jonathan Mamou",
            "Distributed Speculative Inference (DSI)",
            ["Nadav Timor", "Jonathan Mamou"],
            False,
        ),
        (
            "Transformers learn through gradual rank increaseEnric Boix-Adsera, Etai Littwin",
            "Transformers learn through gradual rank increase",
            ["Enric Boix-Adsera", "Etai Littwin"],
            False,
        ),
        (
            "Scaling Laws for Native Multimodal ModelsMustafa Shukor, Enrico Fini, "
            "Victor Guilherme Turrisi da Costa et al.",
            "Scaling Laws for Native Multimodal Models",
            ["Mustafa Shukor", "Enrico Fini", "Victor Guilherme Turrisi da Costa"],
            True,
        ),
        (
            "Deep Learning Without ShortcutsŁukasz Kaiser, Renée D'Amour, Jürgen Müller",
            "Deep Learning Without Shortcuts",
            ["Łukasz Kaiser", "Renée D'Amour", "Jürgen Müller"],
            False,
        ),
        (
            "Attention Is All You NeedQuoc V. Le, J. Zico Kolter, Diederik P Kingma",
            "Attention Is All You Need",
            ["Quoc V. Le", "J. Zico Kolter", "Diederik P Kingma"],
            False,
        ),
        (
            "Visualizing Data using t-SNELaurens van der Maaten, Geoffrey Hinton",
            "Visualizing Data using t-SNE",
            ["Laurens van der Maaten", "Geoffrey Hinton"],
            False,
        ),
        (
            "Rethinking JEPA: Compute-Efficient Video SSLChun-Liang Li, Xianhang Li",
            "Rethinking JEPA: Compute-Efficient Video SSL",
            ["Chun-Liang Li", "Xianhang Li"],
            False,
        ),
        (
            "Gradient-Based Learning Applied to Document RecognitionYann LeCun, James DiCarlo, "
            "Ryan McDonald",
            "Gradient-Based Learning Applied to Document Recognition",
            ["Yann LeCun", "James DiCarlo", "Ryan McDonald"],
            False,
        ),
        (
            "DropCompute: simple and more robust distributed synchronous training via compute "
            "variance reductionNiv Giladi, Shahar Gottlieb, Moran Shkolnik et al.",
            "DropCompute: simple and more robust distributed synchronous training via compute "
            "variance reduction",
            ["Niv Giladi", "Shahar Gottlieb", "Moran Shkolnik"],
            True,
        ),
        (
            "FlashAttention: Fast, Memory-Efficient Exact Attention with IO-AwarenessTri Dao, "
            "Daniel Y. Fu",
            "FlashAttention: Fast, Memory-Efficient Exact Attention with IO-Awareness",
            ["Tri Dao", "Daniel Y. Fu"],
            False,
        ),
        (
            "Rectifier Nonlinearities: ReLU, Leaky ReLUAnn Lee, Bob Roe",
            "Rectifier Nonlinearities: ReLU, Leaky ReLU",
            ["Ann Lee", "Bob Roe"],
            False,
        ),
        (
            "A Theory of Output-Side Unsupervised Domain AdaptationTomer Galanti, Lior Wolf",
            "A Theory of Output-Side Unsupervised Domain Adaptation",
            ["Tomer Galanti", "Lior Wolf"],
            False,
        ),
        (
            "Part IIIvan Petrov, Anna Ivanova",
            "Part II",
            ["Ivan Petrov", "Anna Ivanova"],
            False,
        ),
        (
            "Plan AJ. Smith, Bob Roe",
            "Plan A",
            ["J. Smith", "Bob Roe"],
            False,
        ),
        (
            "Deep LearningJean-Pierre Dupont, Seán O'Brien",
            "Deep Learning",
            ["Jean-Pierre Dupont", "Seán O'Brien"],
            False,
        ),
    ],
)
def test_glued_lines(line: str, title: str, authors: list[str], et_al: bool) -> None:
    split = split_glued(line)
    assert split is not None
    assert (split.title, split.authors, split.et_al) == (title, authors, et_al)


def test_glued_line_with_affiliations() -> None:
    split = split_glued(
        "Vanishing Gradients in Reinforcement Finetuning of Language ModelsNoam Razin, "
        "Hattie Zhou, Omid Saremi et al. · apple-ml, princeton"
    )
    assert split is not None
    assert split.title == "Vanishing Gradients in Reinforcement Finetuning of Language Models"
    assert split.authors == ["Noam Razin", "Hattie Zhou", "Omid Saremi"]
    assert split.et_al is True
    assert split.affiliations == ["apple-ml", "princeton"]


def test_glued_line_complete_list_with_affiliations() -> None:
    split = split_glued(
        "Centered Self-Attention LayersAmeen Ali, Tomer Galanti, Lior Wolf · meta-ai"
    )
    assert split is not None
    assert split.title == "Centered Self-Attention Layers"
    assert (split.authors, split.et_al, split.affiliations) == (
        ["Ameen Ali", "Tomer Galanti", "Lior Wolf"],
        False,
        ["meta-ai"],
    )


def test_middle_dot_in_a_title_is_not_an_affiliation_separator() -> None:
    split = split_glued("The A·B Product RevisitedAnn Lee, Bob Roe")
    assert split is not None
    assert (split.title, split.authors, split.affiliations) == (
        "The A·B Product Revisited",
        ["Ann Lee", "Bob Roe"],
        [],
    )


def test_affiliation_separator_without_spaces() -> None:
    split = split_glued("A TitleAnn Lee, Bob Roe et al.·mit")
    assert split is not None
    assert (split.title, split.authors, split.et_al, split.affiliations) == (
        "A Title",
        ["Ann Lee", "Bob Roe"],
        True,
        ["mit"],
    )


def test_title_commas_and_colons_stay_in_the_title() -> None:
    split = split_glued("Sparse, Dense, and Hybrid: A Study, RevisitedAnn Lee, Bob Roe")
    assert split is not None
    assert split.title == "Sparse, Dense, and Hybrid: A Study, Revisited"
    assert split.authors == ["Ann Lee", "Bob Roe"]


def test_title_comma_segment_that_reads_like_a_name_is_not_taken() -> None:
    split = split_glued("DeepLearning Fast, Learning SlowAnn Lee, Bob Roe")
    assert split is not None
    assert split.title == "DeepLearning Fast, Learning Slow"
    assert split.authors == ["Ann Lee", "Bob Roe"]


def test_no_split_when_the_author_part_is_not_a_list_of_names() -> None:
    assert split_glued("Collegial Ensembles") is None
    assert split_glued("We study deep networks, and show that Adam works.") is None
    assert split_glued("Ann Lee, Bob Roe") is None  # no title


def test_unambiguous_lines_report_one_alternative() -> None:
    (only,) = glued_candidates("Explore to Generalize in Zero-Shot RLEv Zisselman, Itai Lavie")
    assert only.alternatives == 1


def test_ambiguity_is_reported() -> None:
    found = glued_candidates("Trained on ImageNetDeAndre Jordan, Ann Lee")
    assert {c.authors[0] for c in found} == {"NetDeAndre Jordan", "DeAndre Jordan", "Andre Jordan"}
    assert all(c.alternatives == 3 for c in found)


@pytest.mark.parametrize(
    ("line", "title", "first"),
    [
        ("Trained on ImageNetDeAndre Jordan, Ann Lee", "Trained on ImageNet", "DeAndre Jordan"),
        ("Scaling LLMsDeAndre Jordan, Ann Lee", "Scaling LLMs", "DeAndre Jordan"),
        ("Scaling UpAnn Lee, Bob Roe", "Scaling Up", "Ann Lee"),
        ("Zero-Shot RLDeAndre Jordan, Ann Lee", "Zero-Shot RL", "DeAndre Jordan"),
        ("Top TenAnn Lee, Bob Roe", "Top Ten", "Ann Lee"),
        ("A StudyRyan McDonald Jr., Ann Lee", "A Study", "Ryan McDonald Jr."),
        ("Activations in ReLU DaAnn Lee", "Activations in ReLU Da", "Ann Lee"),
        (
            "Array programming with NumPyCharles R. Harris",
            "Array programming with NumPy",
            "Charles R. Harris",
        ),
        ("Mastering AlphaGoAnn Lee", "Mastering AlphaGo", "Ann Lee"),
        ("A StudyMacKenzie Smith, Ann Lee", "A Study", "MacKenzie Smith"),
        ("Results, in ContextVanessa Dupont, Ann Lee", "Results, in Context", "Vanessa Dupont"),
        ("Learning in PracticeLaToya Smith", "Learning in Practice", "LaToya Smith"),
    ],
)
def test_two_letter_name_prefixes_are_not_left_on_the_title(
    line: str, title: str, first: str
) -> None:
    split = split_glued(line)
    assert split is not None
    assert (split.title, split.authors[0]) == (title, first)


def test_name_prefix_in_a_later_author_keeps_the_list_whole() -> None:
    split = split_glued("Explore to Generalize in Zero-Shot RLEv Zisselman, DeAndre Jordan")
    assert split is not None
    assert split.title == "Explore to Generalize in Zero-Shot RL"
    assert split.authors == ["Ev Zisselman", "DeAndre Jordan"]


@pytest.mark.parametrize(
    ("line", "title", "authors", "wrong_first"),
    [
        (
            "Apps for the iMacAnn Lee, Bob Roe",
            "Apps for the iMac",
            ["Ann Lee", "Bob Roe"],
            "MacAnn Lee",
        ),
        (
            "Learning in PracticeJoAnn Smith, Bob Roe",
            "Learning in Practice",
            ["JoAnn Smith", "Bob Roe"],
            "Ann Smith",
        ),
    ],
)
def test_known_names_settle_what_the_ranking_gets_wrong(
    line: str, title: str, authors: list[str], wrong_first: str
) -> None:
    plain = split_glued(line)
    assert plain is not None and plain.authors[0] == wrong_first
    known = split_glued(line, frozenset({authors[0]}))
    assert known is not None
    assert (known.title, known.authors) == (title, authors)


def test_known_names_are_compared_by_key() -> None:
    split = split_glued("Zero-Shot RLDeAndre Jordan, Ann Lee", {"deandre jordan"})
    assert split is not None and split.authors[0] == "DeAndre Jordan"


def test_suffix_after_internal_capital_surname_with_evidence() -> None:
    line = "A StudyRyan McDonald Jr., Ann Lee"
    split = split_glued(line, frozenset({"Ryan McDonald Jr."}))
    assert split is not None
    assert split.title == "A Study"
    assert split.authors == ["Ryan McDonald Jr.", "Ann Lee"]


def test_hyphenated_first_name_is_not_cut() -> None:
    split = split_glued("Robust Zero-ShotChun-Liang Li, Ann Lee")
    assert split is not None
    assert split.title == "Robust Zero-Shot"
    assert split.authors == ["Chun-Liang Li", "Ann Lee"]


# --------------------------------------------------------------------------- identity


@pytest.mark.parametrize(
    "variants",
    [
        ["Geoffrey E. Hinton", "Geoffrey Hinton", "geoffrey hinton", "GEOFFREY HINTON"],
        ["András György", "Andras Gyorgy", "andrás györgy"],
        ["Enric Boix-Adsera", "Enric Boix Adsera"],
        ["Seán O'Brien", "Sean OBrien", "Seán O’Brien"],
        ["Mor Shpigel Nacson", "Mor Shpigel Nacson"],
        ["Jason D. Lee", "Jason D Lee", "Jason Lee"],
        ["Daniel Y. Fu", "Daniel Fu"],
        ["Łukasz Kaiser", "Łukasz  Kaiser", "Lukasz Kaiser"],
    ],
)
def test_name_key_merges_variants(variants: list[str]) -> None:
    assert len({name_key(v) for v in variants}) == 1


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Tomer Galanti", "Liane Galanti"),
        ("J. Smith", "A. Smith"),
        ("Tomer Michaeli", "Hagay Michaeli"),
        ("Mor Shpigel Nacson", "Mor Nacson"),
        ("Chen Zeno", "Zeno Chen"),
    ],
)
def test_name_key_keeps_different_people_apart(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)


def test_name_key_is_idempotent() -> None:
    for name in ["Geoffrey E. Hinton", "J. Zico Kolter", "Laurens van der Maaten", "Ł. Ó"]:
        assert name_key(name_key(name)) == name_key(name)


def test_name_key_shape() -> None:
    assert name_key("Geoffrey E. Hinton") == "geoffrey hinton"
    assert name_key("Łukasz Kaiser") == "lukasz kaiser"
    assert name_key("Søren Straße") == "soren strasse"


def test_hyphenated_given_names_with_a_lowercase_syllable():
    from sitegen.ingest.names import split_glued

    split = split_glued("Learning Self-supervised RepresentationsJae-won Kim, Ji-ho de la Cruz et al.", frozenset())
    assert split is not None
    assert split.title == "Learning Self-supervised Representations"
    assert split.authors == ["Jae-won Kim", "Ji-ho de la Cruz"]
    assert split.et_al is True


def test_ben_is_a_particle():
    from sitegen.ingest.names import looks_like_name

    assert looks_like_name("Linh ben Ramapuram")
    assert not looks_like_name("ben Ramapuram")  # a particle never leads a name
