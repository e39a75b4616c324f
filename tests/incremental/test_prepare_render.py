"""What a build prepares while the content is parsed: the theme's templates, compiled."""

from __future__ import annotations

from pathlib import Path

from sitegen.incremental import _compile_templates
from sitegen.render.env import make_env


def test_every_template_is_compiled_and_broken_ones_are_left_for_their_page(
        tmp_path: Path) -> None:
    (tmp_path / "unused.html").write_text("{% if %}\n")  # a syntax error
    (tmp_path / "notes.md").write_text("{% not a template %}\n")
    (tmp_path / "binary.xml").write_bytes(b"\xff\xfe")  # not UTF-8
    env = make_env(tmp_path)
    _compile_templates(env)
    compiled = set(env._loaded)  # type: ignore[attr-defined]
    assert {"base.html", "paper.html", "author.html", "feed.xml", "sitemap.xml",
            "robots.txt", "_macros.html", "card.html"} <= compiled
    assert not compiled & {"unused.html", "notes.md", "binary.xml"}
    assert not any(name.startswith("static/") for name in compiled)
