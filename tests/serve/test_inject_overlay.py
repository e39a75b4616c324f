"""The client goes into HTML on the fly; failures are shown escaped, with file and line."""

from __future__ import annotations

from pathlib import Path

from sitegen.errors import ContentError
from sitegen.serve.inject import client_tag, inject
from sitegen.serve.overlay import error_page, failure_from, overlay_html


def test_inject_before_the_last_body_end() -> None:
    html = b"<html><body><p>x</p><script>'</body>'</script></BODY></html>"
    out = inject(html, "<s>")
    assert out == b"<html><body><p>x</p><script>'</body>'</script><s></BODY></html>"
    assert inject(b"<p>x", "<s>") == b"<p>x<s>"
    assert inject(b"<p>x</html>", "<s>") == b"<p>x<s></html>"


def test_client_tag() -> None:
    tag = client_tag(7)
    assert 'data-generation="7"' in tag and 'src="/__sitegen/livereload.js"' in tag


def test_failure_names_file_line_and_is_escaped(tmp_path: Path) -> None:
    (tmp_path / "content" / "papers").mkdir(parents=True)
    (tmp_path / "content" / "papers" / "x.yaml").write_text(
        "title: ok\nauthors:\n- <img src=x onerror=alert(1)>\ndate: '2020-01-01'\n")
    exc = ContentError("unknown author '<img src=x onerror=alert(1)>'",
                       file="content/papers/x.yaml", line=3, key="authors[0]")
    failure = failure_from(exc, [tmp_path])
    assert str(failure) == "content/papers/x.yaml:3: authors[0]: unknown author " \
                           "'<img src=x onerror=alert(1)>'"
    assert [n for n, _ in failure.excerpt] == [1, 2, 3, 4]
    html = overlay_html(failure)
    assert "<img" not in html
    assert "content/papers/x.yaml:3" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert '<span class="hit">3 | - &lt;img' in html
    page = error_page(failure)
    assert page.startswith("<!DOCTYPE html>") and "<img" not in page


def test_internal_errors_are_reported_too() -> None:
    failure = failure_from(ValueError("<b>boom</b>"), [])
    assert failure.internal and "internal error: ValueError" in str(failure)
    assert "<b>" not in overlay_html(failure)
