"""Building the same content twice, into different folders, gives byte-identical output.

The second build runs as if on another machine: another time zone, locale and hash seed.
"""

from __future__ import annotations

import difflib

from sitecheck.build import build_site


def _tree(root):
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(seed_site, build_tmp):
    elsewhere = {"TZ": "Pacific/Kiritimati", "LC_ALL": "C.UTF-8", "PYTHONHASHSEED": "4242"}
    again = build_site(seed_site.content, build_tmp / "root-again", seed_site.prefix, env=elsewhere)
    first, second = _tree(seed_site.root), _tree(again)
    assert sorted(first) == sorted(second), (
        f"only in first: {sorted(set(first) - set(second))[:10]}, "
        f"only in second: {sorted(set(second) - set(first))[:10]}"
    )
    differing = [name for name in first if first[name].read_bytes() != second[name].read_bytes()]
    details = []
    for name in differing[:5]:
        a = first[name].read_text(errors="replace").splitlines()
        b = second[name].read_text(errors="replace").splitlines()
        diff = list(difflib.unified_diff(a, b, lineterm="", n=0))[2:8]
        details.append(f"{name}:\n  " + "\n  ".join(line[:160] for line in diff))
    assert not differing, f"{len(differing)} files differ:\n" + "\n".join(details)
