"""Where builtin_templates_dir looks: inside the package first, then the checkout's top level."""

from __future__ import annotations

import shutil
from pathlib import Path

from sitegen.render import theme

REPO = Path(__file__).resolve().parents[2]


def test_checkout_uses_top_level_templates():
    found = theme.builtin_templates_dir()
    assert found == REPO / "templates"
    assert (found / "base.html").is_file()


def _fake_install(root: Path, *, packaged: bool, stray_top_level: bool) -> Path:
    pkg = root / "site-packages" / "sitegen"
    (pkg / "render").mkdir(parents=True)
    shutil.copy2(theme.__file__, pkg / "render" / "theme.py")
    if packaged:
        (pkg / "templates").mkdir()
    if stray_top_level:
        (root / "site-packages" / "templates").mkdir()
    return pkg / "render" / "theme.py"


def _lookup(theme_file: Path) -> Path:
    namespace: dict[str, object] = {"__file__": str(theme_file), "__name__": "fake_theme"}
    exec(compile(theme_file.read_text(), str(theme_file), "exec"), namespace)
    return namespace["builtin_templates_dir"]()  # type: ignore[operator]


def test_installed_package_prefers_its_own_copy(tmp_path: Path):
    theme_file = _fake_install(tmp_path, packaged=True, stray_top_level=True)
    assert _lookup(theme_file) == tmp_path / "site-packages" / "sitegen" / "templates"


def test_without_a_packaged_copy_falls_back_to_the_top_level(tmp_path: Path):
    theme_file = _fake_install(tmp_path, packaged=False, stray_top_level=False)
    assert _lookup(theme_file) == tmp_path / "site-packages" / "templates"
