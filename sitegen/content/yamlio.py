"""Reading and writing content YAML safely, deterministically and atomically.

Reading tries :mod:`sitegen.content.blockyaml` first (the plain block YAML that
``dump_yaml`` writes, read three times faster), then libyaml's C loader; the slower pure-Python
composer is only run to locate the line of a problem once one is found, or to reject
anchors/aliases, which content never needs and which open the door to alias bombs.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from sitegen.content.blockyaml import NotSimple, parse_block_yaml
from sitegen.content.controls import clean_data
from sitegen.errors import ContentError, SitegenError
from sitegen.files import atomic_write

__all__ = ["atomic_write", "dump_yaml", "parse_yaml", "read_text", "read_yaml", "key_line"]

try:  # pragma: no cover - depends on how PyYAML was built
    _FastLoader: type = yaml.CSafeLoader
    _FastDumper: type = yaml.CSafeDumper
except AttributeError:  # pragma: no cover
    _FastLoader = yaml.SafeLoader
    _FastDumper = yaml.SafeDumper

MAX_CONTENT_BYTES = 5 * 1024 * 1024
_ANCHOR_RE = re.compile(r"(?:^|[\s\[\]{},:-])[&*][^\s\[\]{},]")
BLOCK_STYLE_MIN = 80



class _Loader(_FastLoader):  # type: ignore[misc,valid-type]
    """Safe loader that keeps dates as the strings the user typed (``2023-05-11``)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _FastLoader.yaml_implicit_resolvers.items()
}


class _Dumper(_FastDumper):  # type: ignore[misc,valid-type]
    """Block style for long or multi-line strings, so abstracts and bios diff well."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if "\n" in value or len(value) > BLOCK_STYLE_MIN:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: Any) -> str:
    """Deterministic YAML text: insertion key order, UTF-8 characters unescaped."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1_000_000,
        indent=2,
    )


def _mark_line(exc: yaml.YAMLError) -> int | None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + 1 if mark is not None else None


def _reject_aliases(text: str, file: str) -> None:
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        anchor = getattr(event, "anchor", None)
        if isinstance(event, yaml.AliasEvent) or anchor:
            raise ContentError(
                "anchors and aliases are not allowed in content files",
                file=file,
                line=event.start_mark.line + 1,
                key=f"&{anchor}" if anchor else None,
            )


def parse_yaml(text: str, file: str) -> Any:
    """Parse YAML text, raising ContentError with file and line on any syntax problem.

    No string of the result holds a character HTML or XML forbids
    (:mod:`sitegen.content.controls`): pages print content as it is read.
    """
    # A character takes at most 4 bytes in UTF-8: short texts need no encoding to tell.
    if len(text) > MAX_CONTENT_BYTES // 4 \
            and len(text.encode("utf-8", "surrogatepass")) > MAX_CONTENT_BYTES:
        raise ContentError(f"file is larger than {MAX_CONTENT_BYTES // 1024 // 1024} MB", file=file)
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        try:
            # Text the block reader accepts holds no anchor or alias (a value starting
            # with & or * is left to PyYAML), so only the fallback needs looking for them;
            # nor any character HTML forbids (it refuses them all, raw NEL included), so
            # only the fallback's values, which escapes can put them in, are cleaned.
            return parse_block_yaml(text, _Loader)
        except NotSimple:
            pass
        # The regex costs a scan per position; most files hold neither character at all.
        if ("&" in text or "*" in text) and _ANCHOR_RE.search(text):
            _reject_aliases(text, file)
        return clean_data(yaml.load(text, Loader=_Loader))  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ContentError(f"invalid YAML: {problem}", file=file, line=_mark_line(exc)) from None
    except (ValueError, TypeError, RecursionError) as exc:
        raise ContentError(f"invalid YAML value: {exc}", file=file) from None


def read_text(path: Path, name: str, error: type[SitegenError] = ContentError) -> str:
    """A file's UTF-8 text; unreadable or undecodable files raise ``error`` naming file and line."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise error(f"cannot read file: {exc.strerror}", file=name) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error("file is not valid UTF-8", file=name, line=line) from None


def read_yaml(path: Path, display: str | None = None) -> Any:
    """Read and parse one YAML file; ``display`` is the name used in error messages."""
    name = display or str(path)
    return parse_yaml(read_text(path, name), name)


def key_line(text: str, key_path: tuple[str | int, ...]) -> int | None:
    """Line (1-based) of a key inside a YAML document, for error messages.

    Walks the composed node tree, so it only runs when an error has already been found.
    Returns the deepest line that could be located.
    """
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    line = None
    for part in key_path:
        if isinstance(node, yaml.MappingNode):
            for knode, vnode in node.value:
                if knode.value == part:
                    line = knode.start_mark.line + 1
                    node = vnode
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return line
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line
