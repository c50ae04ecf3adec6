# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A lab node's processes, found by their root filesystem, and the causes a node's console names
when it cannot start.

A node's launcher runs systemd-nspawn, whose child is the node's init. When systemd-nspawn is
killed (SIGKILL), that init and everything under it go on running as orphans, still holding the
node's veth and mounts; the launcher's and systemd-nspawn's command lines are gone, so they cannot
be found by name. Every one of them has the node's root filesystem as its root. Inside the node's
own mount namespace ``/proc/PID/root`` reads as ``/`` from the host, so the root is compared as a
filesystem: the same directory (device and inode, as ``stat`` of ``/proc/PID/root/`` gives it), or
a root mount of the same filesystem (type, source and options: the lab's overlay with the node's
upper directory), which still holds after the host's mount of the node's root was replaced.
Pure functions on paths, for the ``lab_processes`` module and its unit tests.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re


def _unescape(field):
    # mountinfo escapes space, tab, newline and backslash as octal.
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def parse_mountinfo(text):
    """The mounts of a mountinfo file: [{mount_point, fstype, source, super_options}]."""
    mounts = []
    for line in text.splitlines():
        before, sep, after = line.partition(" - ")
        fields, tail = before.split(), after.split()
        if not sep or len(fields) < 5 or len(tail) < 3:
            continue
        mounts.append({"mount_point": _unescape(fields[4]), "fstype": tail[0], "source": _unescape(tail[1]),
                       "super_options": tail[2]})
    return mounts


def _read(path):
    try:
        with open(path) as handle:
            return handle.read()
    except (IOError, OSError):
        return None


def _identity(mount):
    return (mount["fstype"], mount["source"], mount["super_options"]) if mount else None


def _stat(path):
    try:
        found = os.stat(path)
        return (found.st_dev, found.st_ino)
    except (IOError, OSError):
        return None


def processes_in_root(root, proc="/proc"):
    """The pids whose root is the filesystem at ``root`` (the node's, as the host sees it), sorted."""
    wanted = os.path.realpath(root)
    wanted_stat = _stat(wanted + "/")
    own = parse_mountinfo(_read(os.path.join(proc, "self", "mountinfo")) or "")
    wanted_mount = _identity(([m for m in own if m["mount_point"] == wanted] or [None])[-1])
    found = []
    for name in os.listdir(proc):
        if not name.isdigit():
            continue
        base = os.path.join(proc, name)
        if wanted_stat is not None and _stat(os.path.join(base, "root") + "/") == wanted_stat:
            found.append(int(name))
            continue
        if wanted_mount is None:
            continue
        mounts = parse_mountinfo(_read(os.path.join(base, "mountinfo")) or "")
        root_mounts = [m for m in mounts if m["mount_point"] == "/"]
        if root_mounts and _identity(root_mounts[-1]) == wanted_mount:
            found.append(int(name))
    return sorted(found)


def command_of(pid, proc="/proc"):
    try:
        with open(os.path.join(proc, str(pid), "cmdline"), "rb") as handle:
            return " ".join(part.decode("utf-8", "replace") for part in handle.read().split(b"\0") if part)
    except (IOError, OSError):
        return ""


# What a node's console says when it cannot start, and what it means.
_CAUSES = (
    (re.compile(r"Failed to add new veth interfaces \(([^:)]+):[^)]*\): File exists"),
     "its veth {0} is still held by an earlier run of the node whose processes survived (e.g. after "
     "systemd-nspawn was killed): run playbooks/lab_destroy.yml, which stops them by their root directory, "
     "then playbooks/lab.yml"),
    (re.compile(r"XDP program already attached"),
     "an XDP program is still attached to its veth from an earlier run: run playbooks/lab_destroy.yml, then "
     "playbooks/lab.yml"),
    (re.compile(r"Directory .* is currently busy|is already in use"),
     "its root is still in use by an earlier run of the node: run playbooks/lab_destroy.yml, then playbooks/lab.yml"),
)


def console_causes(text):
    """What a node's console log says about why it did not start: the known causes, each with its
    fix, in the order they appear (each once)."""
    causes = []
    for line in (text or "").splitlines():
        for pattern, meaning in _CAUSES:
            match = pattern.search(line)
            if match:
                cause = meaning.format(*match.groups())
                if cause not in causes:
                    causes.append(cause)
    return causes
