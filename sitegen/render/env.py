"""The Jinja environment: built once per build (or per preview session) and reused.

Autoescaping is on for every template, including XML feeds and the sitemap, and undefined
variables are errors, so a typo in a site's own template fails the build instead of
quietly rendering an empty string.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections import ChainMap
from collections.abc import Iterable
from pathlib import Path
from types import FunctionType, MethodType
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    nodes,
    select_autoescape,
)
from jinja2.compiler import CodeGenerator
from jinja2.runtime import Context, Macro, missing
from jinja2.utils import internalcode
from markupsafe import Markup, escape

from sitegen.render.assets import Assets, collect_assets
from sitegen.render.latex import abstract_to_text, render_abstract
from sitegen.render.markdown import render_markdown
from sitegen.render.theme import theme_dirs

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


#: What JSON inside a ``<script>`` must not hold literally: markup characters, and the
#: line separators older JavaScript parsers end a string at.
_LD_ESCAPES = (
    ("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("'", "\\u0027"),
    ("\u2028", "\\u2028"), ("\u2029", "\\u2029"),
)  # fmt: skip


def ld_escape(text: str) -> str:
    """JSON text made safe inside a ``<script type="application/ld+json">``."""
    for ch, esc in _LD_ESCAPES:
        if ch in text:  # a scan in C; most strings hold none of them
            text = text.replace(ch, esc)
    return text


def json_ld(data: Any) -> Markup:
    """JSON for a ``<script type="application/ld+json">``: ``<``, ``>``, ``&`` escaped."""
    return Markup(ld_escape(json.dumps(data, ensure_ascii=False, indent=None,
                                       separators=(",", ":"))))


_DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
_C0_AND_SPACE = re.compile(r"[\x00-\x20]")


def meta_text(value: str) -> str:
    """Text for a ``<meta content>`` that no consumer could mistake for a script URL.

    Some crawlers treat meta values as URLs; a title such as ``javascript:alert(1)`` gets a
    leading word joiner (invisible). The check ignores control characters and spaces the
    way lenient URL parsers do, so ``java script:`` is caught too.
    """
    value = str(value)
    # Every whitespace character but the space is unprintable, so a printable value
    # without doubled, leading or trailing spaces is already collapsed (most are).
    if not (value.isprintable() and "  " not in value and value[:1] != " " != value[-1:]):
        value = " ".join(value.split())
    elif ":" not in value[:_HEAD]:
        # Collapsed and printable: no C0 characters and at most every other one a
        # space, so a scheme's colon would have to be among the first characters.
        return value
    if _squeezed_head(value).lower().startswith(_DANGEROUS_SCHEMES):
        return "\u2060" + value
    return value


_SCHEME_CHARS = max(len(s) for s in _DANGEROUS_SCHEMES)
_HEAD = 4 * _SCHEME_CHARS  # how much of a value is squeezed to look for a scheme


def _squeezed_head(value: str) -> str:
    """The start of ``value`` without C0 characters and spaces, long enough for a scheme.

    Only the first few characters decide; squeezing a whole abstract would be wasted.
    """
    head = _C0_AND_SPACE.sub("", value[:_HEAD])
    if len(head) >= _SCHEME_CHARS or len(value) <= _HEAD:
        return head
    return _C0_AND_SPACE.sub("", value)


def long_date(iso: str) -> str:
    """``2023-03-11`` -> ``Mar 11, 2023`` (no locale, so output never depends on the host)."""
    year, month, day = iso[:4], int(iso[5:7]), int(iso[8:10])
    return f"{MONTHS[month - 1]} {day}, {year}"


def _escape_text(text: str) -> str:
    """What ``markupsafe.escape`` does to a plain string, without building a Markup."""
    return (text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
            .replace("'", "&#39;").replace('"', "&#34;"))


with contextlib.suppress(ImportError):  # the same in C, as markupsafe itself uses it
    from markupsafe._speedups import _escape_inner as _escape_text  # type: ignore[no-redef]


def escape_output(value: Any) -> str:
    """``escape(value)`` as text: what every ``{{ ... }}`` of a template prints.

    The compiled templates call this instead of ``markupsafe.escape``: plain strings and
    Markup (most values) skip building a new Markup object, since the printed text only
    gets joined into the page. Nothing is scanned for control characters: content had
    them removed when it was read (:mod:`sitegen.content.controls`).
    """
    cls = value.__class__
    if cls is str:
        return _escape_text(value)
    if cls is Markup:
        return value
    if cls is int or cls is float:  # counts, years, scores: digits, signs, "e", "inf", "nan"
        return cls.__repr__(value)
    return escape(value)


def link_list(people: Iterable[Any]) -> Markup:
    """``<a href="...">name</a>`` for each person (``href`` and ``name``), comma-separated.

    The ``links`` filter: an author list is printed for every paper card and paper page,
    and one call here costs a fraction of a template loop doing the same.
    """
    out = []
    for person in people:
        if person.__class__ is dict:
            href, name = person["href"], person["name"]
        else:
            href, name = person.href, person.name
        out.append(f'<a href="{escape_output(href)}">{escape_output(name)}</a>')
    return Markup(", ".join(out))


class _OutputCodeGenerator(CodeGenerator):
    """Compiles ``{{ value }}`` to ``environment.escape_output(value)`` where that is the
    same as Jinja's ``escape(value)``: autoescaping on (and fixed), no finalize.
    Anything else compiles as usual."""

    def _fused(self, frame: Any, finalize: Any) -> bool:
        return (
            not frame.eval_ctx.volatile
            and frame.eval_ctx.autoescape
            and self.environment.finalize is None
            and finalize.src is None
        )

    def _output_child_pre(self, node: Any, frame: Any, finalize: Any) -> None:
        if self._fused(frame, finalize):
            self.write("environment.escape_output(")
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: Any, frame: Any, finalize: Any) -> None:
        if self._fused(frame, finalize):
            self.write(")")
        else:
            super()._output_child_post(node, frame, finalize)

    def _output_parts(self, node: nodes.Output, frame: Any, finalize: Any) -> list[Any]:
        """The children of ``node`` as Jinja would print them: runs of text known at
        compile time joined into lists of strings, other expressions as they are."""
        parts: list[Any] = []
        for child in node.nodes:
            try:
                if not (finalize.const or isinstance(child, nodes.TemplateData)):
                    raise nodes.Impossible()
                const = self._output_child_to_const(child, frame, finalize)
            except Exception:  # evaluated at runtime, where errors carry their line
                parts.append(child)
                continue
            if parts and isinstance(parts[-1], list):
                parts[-1].append(const)
            else:
                parts.append([const])
        return parts

    def visit_Output(self, node: nodes.Output, frame: Any) -> None:
        """One ``yield`` per run of output instead of one per item.

        Every yielded piece of a page block is handed up through each template that
        extends it; fewer, larger pieces save most of that. Expressions are evaluated
        in template order into temporaries (each line mapped to its template line,
        as before), then joined by one f-string: the printed values are already
        strings, so the text is the same as joining them one by one. Macros and
        ``set`` blocks collect their output in a list joined once at the end, which
        joining here first would only copy twice, so they compile as usual.
        One difference from stock Jinja: ``Template.generate``/``stream`` hand out a
        run only once all of it is evaluated, so an error inside a run loses the text
        before it in that run (``render``, which sitegen uses, raises either way).
        """
        finalize = self._make_finalize()
        parts = self._output_parts(node, frame, finalize)
        if self.environment.is_async or frame.buffer is not None or len(parts) < 2:
            super().visit_Output(node, frame)
            return
        if frame.require_output_check:
            if self.has_known_extends:  # a child template prints nothing outside blocks
                return
            self.writeline("if parent_template is None:")
            self.indent()
        pieces = []
        for part in parts:
            if isinstance(part, list):
                pieces.append(self._output_const_repr(part))
                continue
            name = self.temporary_identifier()
            self.writeline(f"{name} = ", part)
            self._output_child_pre(part, frame, finalize)
            self.visit(part, frame)
            self._output_child_post(part, frame, finalize)
            pieces.append(f"f'{{{name}}}'")
        self.writeline("yield " + " ".join(pieces))
        if frame.require_output_check:
            self.outdent()


def _plain_callable(obj: Any) -> bool:
    """Whether Jinja would call ``obj`` as it is: a function, a bound method of one or
    a macro, none marked ``pass_context`` (or the like). Jinja finds that out through
    two attribute look-ups that fail; for these kinds a dict look-up says the same."""
    cls = obj.__class__
    if cls is MethodType:
        obj = obj.__func__
        cls = obj.__class__
    return (cls is FunctionType or cls is Macro) and "jinja_pass_arg" not in obj.__dict__


_ABSENT = object()


class SiteContext(Context):
    """Jinja's template context with cheaper name look-ups and calls of plain callables.

    A page calls ``href``, ``asset`` and macros a dozen times; each call went through
    Jinja's check for a context-taking callable. Anything that may take the context
    (or that this cannot tell) is still called by :meth:`Context.call`.
    """

    def __init__(
        self,
        environment: Environment,
        parent: dict[str, Any],
        name: str | None,
        blocks: dict[str, Any],
        globals: Any = None,  # noqa: A002 (Jinja's name)
    ) -> None:
        if globals.__class__ is ChainMap:  # a template's globals: keys without iterating it
            globals = set().union(*globals.maps)  # noqa: A001
        super().__init__(environment, parent, name, blocks, globals)

    def resolve_or_missing(self, key: str) -> Any:
        # Templates look up every name they use once per render or loop pass: one dict
        # look-up each instead of a membership test and then the item.
        found = self.vars.get(key, _ABSENT)
        if found is not _ABSENT:
            return found
        return self.parent.get(key, missing)

    @internalcode
    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (as Jinja)
        if not _plain_callable(__obj):
            return Context.call(__self, __obj, *args, **kwargs)
        if kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )


class SiteTemplate(Template):
    """Jinja's template, started with less copying of the page's variables.

    ``render(dict)`` no longer copies the dict before the context copies it again, and
    the environment's globals (a ChainMap) are merged map by map instead of key by key.
    """

    def render(self, *args: Any, **kwargs: Any) -> str:
        if self.environment.is_async:
            return super().render(*args, **kwargs)
        if len(args) == 1 and not kwargs and args[0].__class__ is dict:
            variables = args[0]  # only read: the context gets its own copy
        else:
            variables = dict(*args, **kwargs)
        ctx = self.new_context(variables)
        try:
            return self.environment.concat(self.root_render_func(ctx))  # type: ignore[arg-type]
        except Exception:
            self.environment.handle_exception()

    def new_context(
        self,
        vars: dict[str, Any] | None = None,  # noqa: A002 (Jinja's name)
        shared: bool = False,
        locals: Any = None,  # noqa: A002
    ) -> Context:
        template_globals = self.globals
        if shared or locals or template_globals.__class__ is not ChainMap:
            return super().new_context(vars, shared, locals)
        parent: dict[str, Any] = {}
        for mapping in reversed(template_globals.maps):
            parent.update(mapping)
        if vars:
            parent.update(vars)
        return self.environment.context_class(
            self.environment, parent, self.name, self.blocks, globals=template_globals
        )

    @internalcode
    def _get_default_module(self, ctx: Context | None = None) -> Any:
        # Jinja subtracts the importing template's global names from this template's
        # (a ChainMap's keys view, compared key by key in Python); the same set, in C.
        if ctx is not None and self.globals.__class__ is ChainMap and not self.environment.is_async:
            keys = ctx.globals_keys.difference(*self.globals.maps)
            if keys:
                return self.make_module({k: ctx.parent[k] for k in keys})
            ctx = None
        return super()._get_default_module(ctx)


_DICT_ATTRIBUTES = frozenset(dir(dict))


class SiteEnvironment(Environment):
    """Jinja's environment with cheaper printing and ``obj.name`` for plain dicts.

    Jinja tries ``getattr`` first, and on a dict that raises (and catches) an
    AttributeError for every ``card.title`` a page prints. A name that is not an attribute
    of ``dict`` can only come from the dict's items, so it is looked up there directly:
    same result, no exception. Everything else goes the usual way. Printed values go
    through :func:`escape_output` (see :class:`_OutputCodeGenerator`).
    """

    code_generator_class = _OutputCodeGenerator
    context_class = SiteContext
    template_class = SiteTemplate

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.escape_output = escape_output
        self._loaded: dict[str, tuple[Any, Template]] = {}

    @internalcode
    def _load_template(self, name: str, globals: Any) -> Template:  # noqa: A002 (Jinja's name)
        # Every page asks for its template, the layout it extends and the macros it
        # imports; Jinja's LRU cache takes a lock and reorders a queue each time. Without
        # auto_reload a loaded template is never read again anyway, so it is kept here
        # (per loader) and found with one dict look-up.
        if globals or self.auto_reload or self.cache is None:
            return super()._load_template(name, globals)
        found = self._loaded.get(name)
        if found is not None and found[0] is self.loader:
            return found[1]
        template = super()._load_template(name, globals)
        self._loaded[name] = (self.loader, template)
        return template

    def getattr(self, obj: Any, attribute: str) -> Any:
        if obj.__class__ is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        # Environment.getattr, inlined: one call less for every attribute of an object
        try:
            return getattr(obj, attribute)
        except AttributeError:
            pass
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return self.undefined(obj=obj, name=attribute)


#: File types a theme's templates are written in, all autoescaped (other files in the
#: folder, such as a README, are not templates).
TEMPLATE_TYPES = ("html", "htm", "xml", "atom", "svg", "txt")


def make_env(templates_dir: Path | None = None) -> Environment:
    """Environment over ``templates_dir`` (a site's overrides) then the built-in theme."""
    dirs = theme_dirs(templates_dir)
    env = SiteEnvironment(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in dirs]),
        autoescape=select_autoescape(
            enabled_extensions=TEMPLATE_TYPES,
            default_for_string=True,
            default=True,
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters["abstract"] = render_abstract
    env.filters["abstract_text"] = abstract_to_text
    env.filters["markdown"] = render_markdown
    env.filters["json_ld"] = json_ld
    env.filters["links"] = link_list
    env.filters["long_date"] = long_date
    env.filters["meta"] = meta_text
    env.globals["assets"] = collect_assets(dirs)
    return env


def env_assets(env: Environment) -> Assets:
    assets = env.globals["assets"]
    assert isinstance(assets, Assets)
    return assets
