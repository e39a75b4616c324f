"""A change journal of the content folder, kept by the kernel (inotify) between builds.

A one-shot ``sitegen build`` must stat every content file to learn what changed: at 75,000
files that alone costs about 0.2 s. The build server instead asks the kernel to note every
change below the folder as it happens, and each build takes the list. Events are queued by
the very system call that changes a file, so an edit saved before ``sitegen build`` was
typed is always in the queue when the build drains it.

Whatever the journal cannot name exactly, it reports as "unknown" (``None``), and the
build then looks at the whole folder as a one-shot build does:

- the kernel's queue overflowed (a checkout or an ingest rewrote more files than it holds);
- a folder was created, deleted or renamed below the root (its files were never watched);
- the root itself was deleted, renamed or replaced;
- a watch could not be added (the per-user watch limit);
- the folder is on a network file system (changes made elsewhere send no events);
- a symbolic link lies below the root (edits to its target send no events here).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from inotify_simple import INotify, flags

#: Everything that can change what a file holds, or which files exist.
FILE_EVENTS = (flags.CREATE | flags.DELETE | flags.MODIFY | flags.CLOSE_WRITE
               | flags.MOVED_FROM | flags.MOVED_TO | flags.ATTRIB)
#: The watched folder itself went away: below it nothing is watched any more.
SELF_EVENTS = flags.DELETE_SELF | flags.MOVE_SELF | flags.UNMOUNT
WATCH_MASK = FILE_EVENTS | SELF_EVENTS | flags.ONLYDIR | flags.DONT_FOLLOW


#: File systems whose files other machines (or a VM's host) can change: inotify only sees
#: what this kernel does, so below them the journal always answers "unknown".
REMOTE_TYPES = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "ceph", "glusterfs", "lustre",
    "gpfs", "9p", "virtiofs", "vboxsf", "fuse.sshfs", "fuse.rclone", "fuse.s3fs",
    "fuse.gcsfuse", "fuse.vmhgfs-fuse", "prl_fs",
})


def mount_type(path: str, mountinfo: str = "/proc/self/mountinfo") -> str | None:
    """Type of the file system that holds ``path`` (Linux), None when unknown."""
    best, kind = "", None
    try:
        with open(mountinfo, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                fields = line.split()
                if " - " not in line or len(fields) < 5:
                    continue
                point = fields[4].replace("\\040", " ")
                inside = path == point or path.startswith(point.rstrip("/") + "/")
                if inside and len(point) >= len(best):
                    best, kind = point, line.split(" - ", 1)[1].split()[0]
    except OSError:
        return None
    return kind


class ChangeJournal:
    """The files changed below ``root`` since the last :meth:`take`, or "unknown"."""

    def __init__(self, root: Path) -> None:
        """``root``: the folder, with symbolic links resolved (inotify watches real folders)."""
        self.root = Path(root)
        self.remote = mount_type(str(self.root)) in REMOTE_TYPES
        self._inotify = INotify(nonblocking=True)
        self._folders: dict[int, str] = {}  # watch descriptor -> folder path
        self._changed: set[str] = set()
        self._unknown = False
        # A symbolic link below the root: the build reads through it, but edits to what it
        # points to send no events here. Once one is seen, every take is "unknown".
        self.links = False
        self._arm()

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
        blind = self._unknown or self.remote or self.links
        changed = None if blind else {Path(p) for p in self._changed}
        self._changed = set()
        self._unknown = False
        if str(self.root) not in self._folders.values():
            # The root was gone (or never there): watch it again if it is back.
            self._drop_all()
            self._arm()
            changed = None
        return changed

    # -- inside --------------------------------------------------------------------------
    def _arm(self) -> None:
        """Watch the root and every folder below it (symbolic links are not followed)."""
        root = str(self.root)
        if not os.path.isdir(root):
            return
        self._watch_tree(root)

    def _watch_tree(self, top: str) -> None:
        stack = [top]
        while stack:
            folder = stack.pop()
            try:
                wd = self._inotify.add_watch(folder, WATCH_MASK)
            except OSError:
                self._unknown = True  # gone meanwhile, or over the watch limit
                continue
            self._folders[wd] = folder
            try:
                with os.scandir(folder) as entries:
                    for entry in entries:
                        if entry.is_symlink():
                            self.links = True
                        elif entry.is_dir(follow_symlinks=False):
                            stack.append(entry.path)
            except OSError:
                self._unknown = True

    def _note(self, wd: int, mask: int, name: str) -> None:
        if mask & flags.Q_OVERFLOW:
            self._unknown = True
            return
        if mask & flags.IGNORED:  # the kernel dropped the watch (folder deleted)
            self._folders.pop(wd, None)
            self._unknown = True
            return
        folder = self._folders.get(wd)
        if folder is None:
            return  # an event queued before its watch was dropped
        if mask & SELF_EVENTS:
            self._unknown = True
            if folder == str(self.root):
                self._drop_all()
            return
        if mask & flags.ISDIR:
            # A folder appeared, went or moved: its files were never in the journal.
            self._unknown = True
            if mask & (flags.CREATE | flags.MOVED_TO):
                self._watch_tree(os.path.join(folder, name))
            return
        path = os.path.join(folder, name)
        if mask & (flags.CREATE | flags.MOVED_TO) and os.path.islink(path):
            self.links = True
        self._changed.add(path)

    def _drop_all(self) -> None:
        for wd in list(self._folders):
            with contextlib.suppress(OSError):  # already gone with its folder
                self._inotify.rm_watch(wd)
        self._folders.clear()
