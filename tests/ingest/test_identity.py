"""One person, one author: spellings grouped, different people kept apart."""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from sitegen.ingest.identity import People, canonical_name, person_key


def test_middle_initials_periods_accents_and_case_join():
    people = People()
    people.add_all(["Geoffrey E. Hinton", "Geoffrey Hinton", "Geoffrey Hinton", "geoffrey hinton"])
    people.add_all(["András György", "Andras Gyorgy"])
    assert len(people) == 2
    hinton = people.person("Geoffrey E. Hinton")
    assert hinton.name == "Geoffrey Hinton"  # most frequent spelling
    assert hinton.aliases == ["Geoffrey E. Hinton", "geoffrey hinton"]
    assert people.person("Andras Gyorgy").name == "András György"  # tie: the more complete


def test_shared_initial_and_surname_are_different_people():
    people = People()
    people.add_all(["John Smith", "Jane Smith", "J. Smith", "Tomer Galanti", "Liane Galanti"])
    assert len(people) == 5


def test_canonical_name_ties_break_on_completeness_then_alphabet():
    assert canonical_name(Counter({"Geoffrey Hinton": 1, "Geoffrey E. Hinton": 1})) == (
        "Geoffrey E. Hinton"
    )
    assert canonical_name(Counter({"zed alpha": 1, "Zed Alpha": 1})) == "Zed Alpha"
    assert canonical_name(Counter({"a b": 2, "A. B.": 1})) == "a b"


def test_knows_exact_spelling_only():
    people = People()
    people.add("Geoffrey Hinton")
    assert people.knows("Geoffrey Hinton")
    assert not people.knows("Geoffrey E. Hinton")
    people.add("Geoffrey E. Hinton", 0)
    assert people.person("Geoffrey Hinton").aliases == ["Geoffrey E. Hinton"]


def test_key_refines_a_loose_key_with_the_full_given_name():
    def loose(name: str) -> str:  # initial + surname: too loose on purpose
        parts = name.split()
        return f"{parts[0][0].lower()} {parts[-1].lower()}"

    assert person_key("John Smith", loose) != person_key("Jane Smith", loose)
    assert person_key("John Smith", loose) == person_key("John Q. Smith", loose)


names = st.lists(
    st.sampled_from(["Ada", "Alan", "Grace", "Émile", "Ö"]), min_size=1, max_size=3
).map(" ".join)


@given(st.lists(names, min_size=1, max_size=12))
def test_every_spelling_resolves_to_exactly_one_person(spellings):
    people = People()
    people.add_all(spellings)
    owners = Counter()
    for person in people:
        assert person.name in person.counts
        for spelling in [person.name, *person.aliases]:
            owners[spelling] += 1
    assert set(owners) == set(spellings)
    assert all(n == 1 for n in owners.values())
