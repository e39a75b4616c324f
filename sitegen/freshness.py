"""Is the output already up to date? Answered from stat calls and the small cache file.

This is the first step of every incremental build and the whole of a build where nothing
changed, so it imports nothing heavy (no Jinja, no renderer): ``sitegen build`` with
nothing to do costs Python's start-up, one stat per content file and one small read.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen import cache as cachemod
from sitegen import walk as walkmod
from sitegen.config import SiteConfig, load_config
from sitegen.errors import BuildError
from sitegen.render.theme import theme_dirs

if TYPE_CHECKING:
    from sitegen import scan

MARKER = ".sitegen-output"  # the same name sitegen.build writes (checked by the tests)


@dataclass
class Inputs:
    """The build's settings and folders, with hashes that tell whether they changed."""

    config: SiteConfig
    project_dir: Path
    content_dir: Path
    templates_dir: Path
    out_dir: Path
    dirs: list[Path]  # theme folders: the site's templates, then the built-in ones
    key: str  # identifies the cache that belongs to these folders
    config_hash: bytes
    theme_hash: bytes


def hash_theme(dirs: list[Path]) -> bytes:
    """Hash of every file of the theme (templates and static assets), in a fixed order."""
    h = hashlib.blake2b(digest_size=16)
    for root in dirs:
        h.update(str(Path(root).resolve()).encode() + b"\0")  # however it was spelled
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                h.update(os.path.relpath(path, root).encode() + b"\0")
                try:
                    with open(path, "rb") as fh:
                        h.update(cachemod.digest(fh.read()))
                except OSError:
                    h.update(b"?")
    return h.digest()


def marker_sig(out_dir: Path) -> tuple[int, int]:
    """Identity of the output folder's marker file: a new output folder has a new one."""
    try:
        st = os.stat(out_dir / MARKER)
    except OSError:
        return (0, 0)
    return (st.st_dev, st.st_ino)


def read_inputs(project_dir: Path, content_dir: Path | None, templates_dir: Path | None,
                out_dir: Path | None, base_url: str | None) -> Inputs:
    """``site.yaml`` and the options, resolved as ``sitegen.build`` resolves them."""
    project_dir = Path(project_dir)
    config = load_config(project_dir)
    if base_url is not None:
        config = config.with_base_url(base_url)
    # Command-line folders win over site.yaml, which wins over the defaults.
    content = content_dir or config.content_dir or project_dir / "content"
    templates = templates_dir or config.templates_dir or project_dir / "templates"
    out = out_dir or config.out_dir or project_dir / "output"
    config = replace(config, content_dir=content, templates_dir=templates, out_dir=out)
    if templates_dir is not None and not templates_dir.is_dir():
        raise BuildError("templates folder not found", file=str(templates_dir))
    dirs = theme_dirs(templates)
    return Inputs(
        config=config, project_dir=project_dir, content_dir=content, templates_dir=templates,
        out_dir=out, dirs=dirs,
        key=cachemod.cache_key(content.resolve(), out.resolve(), [str(d) for d in dirs]),
        # The folders as the file system names them: `--project .` and `--project ../x`
        # (or a build server's request) spell one project two ways, with the same output.
        config_hash=cachemod.digest(repr(replace(
            config, content_dir=content.resolve(), templates_dir=templates.resolve(),
            out_dir=out.resolve())).encode("utf-8")),
        theme_hash=hash_theme(dirs),
    )


def unchanged(inputs: Inputs, state: cachemod.State | None, found: scan.Scan) -> bool:
    """True when the last build (``state``) made the current output from these inputs."""
    return (state is not None and not found.content_changed
            and state.config_hash == inputs.config_hash
            and state.theme_hash == inputs.theme_hash
            and marker_sig(inputs.out_dir) == state.out_sig)


@dataclass
class Check:
    """What the quick check found; a build that follows in the same process starts here
    instead of reading the settings, the cache and the content folder a second time."""

    inputs: Inputs
    state: cachemod.State | None  # None: no usable cache
    found: scan.Scan | None  # None: the folder was not scanned (no usable cache)
    fresh: bool  # the output is up to date


def check(project_dir: Path, *, content_dir: Path | None = None,
          templates_dir: Path | None = None, out_dir: Path | None = None,
          base_url: str | None = None) -> Check:
    """The quick check ``sitegen build`` makes before loading the build machinery.

    Re-saves the small cache file when only signatures changed (a ``touch``), so the next
    check is quick again. Any doubt answers "not fresh": the full machinery then decides.
    """
    inputs = read_inputs(project_dir, content_dir, templates_dir, out_dir, base_url)
    cache_dir = Path(project_dir) / cachemod.CACHE_DIR
    state = cachemod.load_state(cache_dir, inputs.key)
    if state is None or marker_sig(inputs.out_dir) != state.out_sig:
        return Check(inputs, state, None, False)
    walked = walkmod.walk(inputs.content_dir, parallel=True)
    same = (state.config_hash == inputs.config_hash and state.theme_hash == inputs.theme_hash)
    if same and walked.digest == state.listing:
        return Check(inputs, state, None, True)  # the table of files is not even read
    if not cachemod.load_files(cache_dir, state):
        return Check(inputs, None, None, False)
    from sitegen import scan  # the parser's module: only when something changed

    found = scan.scan(inputs.content_dir, state.files, walked=walked)
    if not unchanged(inputs, state, found):
        return Check(inputs, state, found, False)
    # Only signatures (a touch) or the listing's order changed: save, to be quick again.
    state.files = found.files
    state.listing = found.listing
    cachemod.save(cache_dir, state, None)
    return Check(inputs, state, found, True)


def up_to_date(project_dir: Path, *, content_dir: Path | None = None,
               templates_dir: Path | None = None, out_dir: Path | None = None,
               base_url: str | None = None) -> bool:
    """Whether the output is up to date (see :func:`check`)."""
    return check(project_dir, content_dir=content_dir, templates_dir=templates_dir,
                 out_dir=out_dir, base_url=base_url).fresh
