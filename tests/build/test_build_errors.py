"""Bad content and bad settings: exact ``file:line: key: problem`` messages, exit 1, no output."""

from __future__ import annotations

from pathlib import Path

import pytest
from buildkit import FIXTURES, copy_fixture

from sitegen.cli import main


def run(args: list[str], capsys: pytest.CaptureFixture) -> tuple[int, str]:
    code = main(args)
    return code, capsys.readouterr().err.strip()


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("bad-yaml", "content/papers/broken.yaml:4: invalid YAML: "
                     "mapping values are not allowed in this context"),
        ("missing-key", "content/papers/no-date.yaml:1: missing required key 'date'"),
        ("wrong-type", "content/papers/wrong.yaml:4: et_al: expected true or false, got a string"),
        ("unknown-profile", "content/papers/orphan.yaml:8: profiles[1]: unknown profile "
                            "'nobody-here' (no authors/nobody-here.yaml)"),
        ("unknown-author", "content/papers/stranger.yaml:4: authors[1]: unknown author "
                           "'Someone Else' (no author file has this name or alias)"),
    ],
)
def test_invalid_content(case: str, message: str, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    code, err = run(["build", "--project", str(FIXTURES / "invalid" / case), "--out", str(out)],
                    capsys)
    assert (code, err) == (1, f"error: {message}")
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no staging folder left behind


def write_site_yaml(project: Path, text: str) -> None:
    (project / "site.yaml").write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("title: [a, b]\n", "site.yaml:1: title: expected a string, got a list"),
        ("title: X\nfeatured: nobody\n",
         "site.yaml:2: featured: expected a list of author slugs, got a string"),
        ("title: X\nbase_url: /a/../b/\n",
         "site.yaml:2: base_url: base URL path must not contain '.', '..' or spaces, "
         "got '/a/../b/'"),
        ("title: X\nlanguage: 'english please'\n",
         "site.yaml:2: language: expected a language tag like en or pt-BR, got 'english please'"),
        ("title: X\n  bad: indent\n",
         "site.yaml:2: invalid YAML: mapping values are not allowed in this context"),
        ("- a list\n", "site.yaml: expected a mapping of site settings, got a list"),
        ("title: X\npaginate: -1\n",
         "site.yaml:2: paginate: expected a whole number >= 0, got a number"),
        ("title: X\npaginate: \"x\"\n",
         "site.yaml:2: paginate: expected a whole number >= 0, got a string"),
    ],
)
def test_invalid_site_yaml(yaml_text: str, message: str, project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    write_site_yaml(project, yaml_text)
    code, err = run(["build", "--project", str(project)], capsys)
    assert (code, err) == (1, f"error: {message}")
    assert not (project / "output").exists()


def test_bad_base_url_option(project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, err = run(["build", "--project", str(project), "--base-url", "javascript:x"], capsys)
    assert (code, err) == (
        1, "error: --base-url: expected a path like /lab-site/ or an http(s) URL, "
           "got 'javascript:x'"
    )


def test_missing_content_folder(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, err = run(["build", "--project", str(tmp_path)], capsys)
    assert code == 1
    assert err == (f"error: {tmp_path / 'content'}: content folder not found "
                   "(run `sitegen ingest` first, or pass --content)")


def test_template_error_names_the_template_and_line(project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (project / "templates").mkdir()
    (project / "templates" / "404.html").write_text("<p>\n{{ no_such_variable }}\n</p>\n")
    code, err = run(["build", "--project", str(project)], capsys)
    assert code == 1
    assert err == (
        f"error: {(project / 'templates' / '404.html').resolve()}:2: "
        "'no_such_variable' is undefined (while rendering 404.html)"
    )
    assert sorted(p.name for p in project.iterdir()) == ["content", "site.yaml", "templates"]


def test_template_syntax_error(project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (project / "templates").mkdir()
    (project / "templates" / "404.html").write_text("ok\n{% if %}\n")
    code, err = run(["build", "--project", str(project)], capsys)
    assert code == 1
    assert err.startswith(f"error: {(project / 'templates' / '404.html').resolve()}:2: ")


def test_a_file_name_that_is_not_a_url_slug(project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    src = project / "content" / "papers" / "compilers.yaml"
    src.rename(src.with_name("has space.yaml"))
    code, err = run(["build", "--project", str(project)], capsys)
    assert (code, err) == (
        1, "error: content/papers/has space.yaml: file name must be letters, digits, '.', '_' "
           "or '-' (it becomes a URL)"
    )


def test_copy_fixture_helper_is_private(tmp_path: Path) -> None:
    copy = copy_fixture("basic", tmp_path / "x")
    assert (copy / "content" / "papers").is_dir() and not (copy / "golden").exists()


def test_missing_templates_folder_given_on_the_command_line(project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    missing = project / "nope"
    code, err = run(["build", "--project", str(project), "--templates", str(missing)], capsys)
    assert (code, err) == (1, f"error: {missing}: templates folder not found")


def test_featured_author_missing_from_content_is_a_warning(project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    write_site_yaml(project, "title: X\nfeatured: [grace-hopper, nobody, ada-lovelace]\n")
    assert main(["build", "-q", "--project", str(project)]) == 0
    err = capsys.readouterr().err.strip()
    assert err == (
        "warning: site.yaml:2: featured[1]: no author 'nobody' in the content "
        "(authors/nobody.yaml); skipped"
    )
    home = (project / "output" / "index.html").read_text(encoding="utf-8")
    featured = home.split('id="featured-heading"', 1)[1].split("</section>", 1)[0]
    assert featured.index("Grace Hopper") < featured.index("Ada Lovelace")
