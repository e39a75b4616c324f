import re

from hypothesis import given
from hypothesis import strategies as st

from sitegen.content.slugs import slugify, unique_slugs

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def test_transliterates_names():
    assert slugify("András György") == "andras-gyorgy"
    assert slugify("Łukasz Kaiser") == "lukasz-kaiser"
    assert slugify("Tool Building as a Path to \"Superintelligence\"") == (
        "tool-building-as-a-path-to-superintelligence"
    )


@given(st.text())
def test_slugs_are_always_url_safe(text):
    slug = slugify(text)
    assert SLUG_RE.match(slug), slug
    assert len(slug) <= 80


def test_collisions_are_suffixed_deterministically():
    items = [("b", "Same Name"), ("a", "Same-Name"), ("c", "same name!")]
    first = unique_slugs(items)
    assert first == {"a": "same-name", "b": "same-name-2", "c": "same-name-3"}
    assert unique_slugs(reversed(items)) == first


@given(st.lists(st.tuples(st.text(min_size=1), st.text()), unique_by=lambda kv: kv[0]))
def test_unique_slugs_never_collide(items):
    slugs = list(unique_slugs(items).values())
    assert len(slugs) == len(set(slugs))
