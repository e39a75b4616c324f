"""The site environment compiles and runs templates differently from stock Jinja (one
``yield`` per run of output, cheaper contexts and calls); every template must still
print exactly what stock Jinja prints with the same options, and fail the same way."""

from __future__ import annotations

import traceback
from pathlib import Path

import pytest
from jinja2 import (
    DictLoader,
    Environment,
    StrictUndefined,
    UndefinedError,
    pass_context,
    pass_environment,
    select_autoescape,
)
from markupsafe import Markup

from sitegen.render.env import SiteEnvironment, make_env

TEMPLATES = {
    "base.html": (
        "<title>{% block title %}T{% endblock %} · {{ site }}</title>\n"
        "{% for label, path in [('A', 'a/'), ('B', 'b/')] %}"
        "<a href=\"{{ href(path) }}\"{% if path == here %} class='x'{% endif %}>{{ label }}</a>\n"
        "{% endfor %}"
        "{% block body %}{% endblock %}|{{ '{' }}{{ \"}\" }} {'braces'} \\ \"q\" 'q'\n"
    ),
    "child.html": (
        "{% extends 'base.html' %}{% from 'macros.html' import item, wrap %}"
        "{% block title %}{{ super() }}: {{ title }}{% endblock %}"
        "{% block body %}{{ item(title) }}{% call(x) wrap('<i>') %}[{{ x }} {{ title }}]{% endcall %}"
        "{% set buf %}{{ title }}{{ 1 + 2 }}{{ none_value }}{% endset %}{{ buf }}{{ buf | length }}"
        "{% filter upper %}{{ title }} and {{ site }}{% endfilter %}"
        "{% autoescape false %}{{ title }}{{ '<raw>' }}{% endautoescape %}"
        "{% for n in tree recursive %}<{{ n.name }}>{{ loop(n.children) }}{{ loop.index }}{% endfor %}"
        "{% set ns = namespace(total=0) %}{% for v in values if v %}{% set ns.total = ns.total + v %}"
        "{{ v }}{{ ',' if not loop.last }}{% else %}none{% endfor %}={{ ns.total }}"
        "{% include 'inc.html' %}{{ ctx_name() }}{{ env_name() }}{% raw %}{{ raw }}{% endraw %}"
        "{% endblock %}"
    ),
    "macros.html": (
        "{% macro item(t, cls='c') -%}<li class=\"{{ cls }}\">{{ t }}{{ varargs | length }}</li>"
        "{%- endmacro %}"
        "{% macro wrap(tag) %}{{ tag }}{{ caller(1) }}{{ caller(2) }}{% endmacro %}"
    ),
    "inc.html": "{{ title }}/{{ here }}{% for i in range(2) %}{{ i }}{{ ctx_name() }}{% endfor %}",
    "maybe.html": (
        "{% if parent %}{% extends parent %}{% endif %}{% block body %}B{{ title }}{% endblock %}"
        "outside {{ title }}"
    ),
}


@pass_context
def _ctx_name(context: object) -> str:
    return f"<{context.name}>"  # type: ignore[attr-defined]


@pass_environment
def _env_name(environment: Environment) -> str:
    return type(environment).__name__[:4]


def _env(cls: type[Environment]) -> Environment:
    env = cls(
        loader=DictLoader(TEMPLATES),
        autoescape=select_autoescape(default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(ctx_name=_ctx_name, env_name=_env_name, site="S&\x01")
    return env


CONTEXT = {
    "title": "<T\x02>",
    "here": "b/",
    "href": lambda path: "/" + path + "?a&b",
    "none_value": None,
    "tree": [{"name": "r", "children": [{"name": "k", "children": []}]}],
    "values": [1, 0, 2, 3],
}


@pytest.mark.parametrize("name", ["child.html", "inc.html", "maybe.html"])
@pytest.mark.parametrize("parent", [None, "base.html"])
def test_templates_print_what_stock_jinja_prints(name: str, parent: str | None) -> None:
    context = {**CONTEXT, "parent": parent}
    expected = _env(Environment).get_template(name).render(context).replace("Envi", "Site")
    site = _env(SiteEnvironment)
    assert site.get_template(name).render(context) == expected
    assert site.get_template(name).render(**context) == expected
    assert "".join(site.get_template(name).generate(context)) == expected
    assert context == {**CONTEXT, "parent": parent}  # the caller's dict is not changed


def test_globals_added_later_reach_templates_and_imported_macros() -> None:
    for cls in (Environment, SiteEnvironment):
        env = _env(cls)
        env.loader.mapping["m.html"] = "{% macro f() %}{{ late }}{{ title }}{% endmacro %}"  # type: ignore[union-attr]
        env.get_template("m.html")  # loaded before the global exists
        env.globals["late"] = "L"
        tpl = env.from_string("{% from 'm.html' import f with context %}{{ f() }}|{{ late }}")
        assert tpl.render(title="t") == "Lt|L"
        assert env.from_string("{% import 'm.html' as m %}{{ m.f is defined }}").render() == "True"


def test_an_error_in_a_run_of_output_names_its_template_line(tmp_path: Path) -> None:
    (tmp_path / "e.html").write_text("<p>{{ a }}\n<b>{{ a }}</b>{{ b.c.d }}\n{{ a }}</p>\n")
    env = make_env(tmp_path)
    with pytest.raises(UndefinedError) as info:
        env.get_template("e.html").render(a="x", b={"c": {}})
    frames = [f for f in traceback.extract_tb(info.value.__traceback__) if f.filename.endswith("e.html")]
    assert frames and frames[-1].lineno == 2


def test_a_missing_variable_in_a_run_of_output_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "m.html").write_text("a {{ x }} b {{ missing }} c")
    with pytest.raises(UndefinedError, match="'missing' is undefined"):
        make_env(tmp_path).get_template("m.html").render(x=1)


def test_printed_pieces_are_joined_as_strings_not_markup(tmp_path: Path) -> None:
    """A Markup value followed by text must not escape the template's own text."""
    (tmp_path / "j.html").write_text("{{ m }}<b>&amp;</b>{{ s }}'\"{{ m }}")
    out = make_env(tmp_path).get_template("j.html").render(m=Markup("<i>"), s="<")
    assert out == "<i><b>&amp;</b>&lt;'\"<i>"


def test_a_template_is_loaded_once_per_loader() -> None:
    env = _env(SiteEnvironment)
    first = env.get_template("inc.html")
    assert env.get_template("inc.html") is first
    assert env.get_template("inc.html", globals={"here": "g"}).render(title="t").startswith("t/g")
    env.loader = DictLoader({"inc.html": "other {{ 1 }}"})
    assert env.get_template("inc.html").render() == "other 1"
