"""Every page of the seed site is valid HTML5 according to the Nu HTML Checker."""

from __future__ import annotations

from collections import defaultdict

from sitecheck import layout, vnu


def test_every_page_is_valid_html5(seed_site):
    assert layout.html_files(seed_site.root), "the build wrote no HTML"
    messages = vnu.check([seed_site.root])
    by_file: dict[str, list[str]] = defaultdict(list)
    root = seed_site.root.resolve()
    for m in messages:
        name = m.file.resolve()
        by_file[str(name.relative_to(root) if name.is_relative_to(root) else name)].append(
            str(m).replace(str(root) + "/", "")
        )
    report = "\n".join(
        f"{name}: {len(lines)} errors\n  " + "\n  ".join(lines[:8])
        for name, lines in sorted(by_file.items())
    )
    assert not messages, (
        f"{len(messages)} HTML errors on {len(by_file)} pages "
        f"(of {len(layout.html_files(seed_site.root))}):\n{report}"
    )
