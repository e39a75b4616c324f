"""A change journal of the content folder, kept by the kernel (inotify) between builds.

A one-shot ``sitegen build`` must stat every content file to learn what changed: at 75,000
files that alone costs about 0.2 s. The build server instead asks the kernel to note every
change to the files a build reads (``papers/*.yaml`` and ``authors/*.yaml``, see
:mod:`sitegen.walk`) as it happens, and each build takes the list. Events are queued by
the very system call that changes a file, so an edit saved before ``sitegen build`` was
typed is in the queue when the build drains it.

Whatever the journal cannot name exactly, it reports as "unknown" (``None``), and the
build then looks at the whole folder as a one-shot build does:

- the kernel's queue overflowed (a checkout or an ingest rewrote more files than it holds);
- ``papers/`` or ``authors/`` was created, deleted, renamed or replaced;
- the content folder itself was deleted, renamed or replaced (also through a parent);
- a watch could not be added (the per-user watch limit);
- the folder is on a file system not known to be local: changes made by another machine
  (a network share, a virtual machine's host) send no events to this kernel;
- a content file is a symbolic link or has other hard links: an edit through the other
  name changes the file without an event here. Such files make every take "unknown"
  until they are gone.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from pathlib import Path

from inotify_simple import INotify, flags

from sitegen.content.names import is_content_name
from sitegen.walk import FOLDERS

#: Everything that can change what a file holds, or which files exist.
FILE_EVENTS = (flags.CREATE | flags.DELETE | flags.MODIFY | flags.CLOSE_WRITE
               | flags.MOVED_FROM | flags.MOVED_TO | flags.ATTRIB)
#: The watched folder itself went away: its files are not watched any more.
SELF_EVENTS = flags.DELETE_SELF | flags.MOVE_SELF | flags.UNMOUNT
WATCH_MASK = FILE_EVENTS | SELF_EVENTS | flags.ONLYDIR | flags.DONT_FOLLOW
#: File systems whose files only this kernel changes. Anything else (NFS, SMB, sshfs,
#: 9p, virtiofs, a container runtime's shared folder...) is read as "unknown" each time.
LOCAL_TYPES = frozenset({
    "ext2", "ext3", "ext4", "xfs", "btrfs", "zfs", "f2fs", "bcachefs", "jfs", "reiserfs",
    "nilfs2", "tmpfs", "ramfs", "overlay", "vfat", "exfat", "ntfs", "ntfs3", "fuseblk",
    "hfsplus", "squashfs", "erofs",
})
_ESCAPE = re.compile(r"\\([0-7]{3})")


def mount_types(path: str, mountinfo: str = "/proc/self/mountinfo") -> set[str] | None:
    """Types of the file system holding ``path`` and of any mounted below it (Linux);
    None when unknown."""
    holder, kind = "", None
    below: set[str] = set()
    try:
        with open(mountinfo, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                fields = line.split()
                if " - " not in line or len(fields) < 5:
                    continue
                point = _ESCAPE.sub(lambda m: chr(int(m.group(1), 8)), fields[4])
                fstype = line.split(" - ", 1)[1].split()[0]
                if path == point or path.startswith(point.rstrip("/") + "/"):
                    if len(point) >= len(holder):
                        holder, kind = point, fstype
                elif point.startswith(path.rstrip("/") + "/"):
                    below.add(fstype)
    except OSError:
        return None
    return None if kind is None else {kind, *below}


def is_local(path: str) -> bool:
    """Whether every file below ``path`` can only change through this kernel."""
    kinds = mount_types(path)
    return kinds is not None and kinds <= LOCAL_TYPES


def _identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _aliased(st: os.stat_result) -> bool:
    """A file another name can change: a symbolic link, or one with other hard links."""
    return stat.S_ISLNK(st.st_mode) or (stat.S_ISREG(st.st_mode) and st.st_nlink > 1)


class ChangeJournal:
    """The content files changed below ``root`` since the last :meth:`take`, or "unknown"."""

    def __init__(self, root: Path) -> None:
        """``root``: the folder, with symbolic links resolved (inotify watches real folders)."""
        self.root = Path(root)
        self.remote = not is_local(str(self.root))
        self._inotify = INotify(nonblocking=True)
        self._watches: dict[int, str] = {}  # watch descriptor -> "" (root) or a folder name
        self._identity: tuple[int, int] | None = None
        self._changed: set[str] = set()
        self._unknown = False
        self._aliased: set[str] = set()  # content files another name can change
        self._arm()

    @property
    def links(self) -> bool:
        """Whether some content file is a symbolic link or has other hard links."""
        return bool(self._aliased)

    def fileno(self) -> int:
        """The descriptor to wait on (a selector): readable when events are queued."""
        return self._inotify.fileno()

    def close(self) -> None:
        self._inotify.close()

    def pump(self) -> None:
        """Move queued events into the journal (keeps the kernel's queue from overflowing)."""
        while True:
            events = self._inotify.read(timeout=0)
            if not events:
                return
            for event in events:
                self._note(event.wd, event.mask, event.name)

    def take(self) -> set[Path] | None:
        """What changed since the last call (``None``: unknown), and start afresh."""
        self.pump()
        blind = self._unknown or self.remote or bool(self._aliased)
        changed = None if blind else {Path(p) for p in self._changed}
        self._changed = set()
        self._unknown = False
        watched = set(self._watches.values())
        if self._aliased or "" not in watched or _identity(str(self.root)) != self._identity or any(
                name not in watched and os.path.isdir(self.root / name) for name in FOLDERS):
            # The root, or one of its folders, is not (or no longer) the one watched (a
            # replaced parent, a folder that is back), or files with other names were
            # seen: watch afresh, looking at every file again, as the build is about to.
            self._drop_all()
            self._arm()
            changed = None
        return changed

    # -- inside --------------------------------------------------------------------------
    def _arm(self) -> None:
        """Watch the root (for its folders coming and going) and the folders a build reads."""
        root = str(self.root)
        self._identity = _identity(root)
        if self._identity is None or not self._watch(root, ""):
            return
        for name in FOLDERS:
            folder = os.path.join(root, name)
            if os.path.isdir(folder) and self._watch(folder, name):
                self._survey(folder)

    def _watch(self, path: str, name: str) -> bool:
        try:
            wd = self._inotify.add_watch(path, WATCH_MASK)
        except OSError:
            self._unknown = True  # gone meanwhile, or over the watch limit
            return False
        self._watches[wd] = name
        return True

    def _survey(self, folder: str) -> None:
        """Note the content files of a newly watched folder that other names can change."""
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if is_content_name(entry.name):
                        with contextlib.suppress(OSError):
                            if _aliased(entry.stat(follow_symlinks=False)):
                                self._aliased.add(entry.path)
        except OSError:
            self._unknown = True

    def _note(self, wd: int, mask: int, name: str) -> None:
        if mask & flags.Q_OVERFLOW:
            self._unknown = True
            return
        if mask & flags.IGNORED:
            # The kernel dropped a watch: its folder was deleted (or this journal removed
            # the watch itself, and already forgot it).
            if self._watches.pop(wd, None) is not None:
                self._unknown = True
            return
        where = self._watches.get(wd)
        if where is None:
            return  # an event queued before its watch was dropped
        if mask & SELF_EVENTS:
            # The folder was moved (or deleted): the watch follows the folder, not the
            # name, so it must not name files any more.
            self._unknown = True
            self._watches.pop(wd, None)
            with contextlib.suppress(OSError):
                self._inotify.rm_watch(wd)
            return
        if where == "":
            if name in FOLDERS:  # papers/ or authors/ came, went or was replaced
                self._unknown = True
            return  # anything else in the content folder is not read by a build
        if not is_content_name(name):
            return  # editor scratch files, sub-folders: not read by a build
        if mask & flags.ISDIR:
            self._unknown = True  # a folder named like a content file: let the scan say
            return
        path = os.path.join(str(self.root), where, name)
        if mask & (flags.DELETE | flags.MOVED_FROM):
            self._aliased.discard(path)
        else:
            try:
                st = os.lstat(path)
            except OSError:
                self._aliased.discard(path)  # already gone again: the scan sees that
            else:
                if _aliased(st):
                    self._aliased.add(path)
                else:
                    self._aliased.discard(path)
        self._changed.add(path)

    def _drop_all(self) -> None:
        for wd in list(self._watches):
            with contextlib.suppress(OSError):  # already gone with its folder
                self._inotify.rm_watch(wd)
        self._watches.clear()
        self._aliased.clear()
