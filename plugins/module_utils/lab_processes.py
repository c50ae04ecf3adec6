# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A lab node's processes, found by their root directory, and the causes a node's console names
when it cannot start.

A node's launcher runs systemd-nspawn, whose child is the node's init. When systemd-nspawn is
killed (SIGKILL), that init and everything under it go on running as orphans, still holding the
node's veth and mounts; the launcher's and systemd-nspawn's command lines are gone, so they cannot
be found by name. Every one of them has the node's root as its root directory (``/proc/PID/root``):
that finds them all. Pure functions on paths, for the ``lab_processes`` module and its unit tests.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re


def processes_in_root(root, proc="/proc"):
    """The pids whose root directory is ``root`` (the node's, as the host sees it), sorted."""
    wanted = os.path.realpath(root)
    found = []
    for name in os.listdir(proc):
        if not name.isdigit():
            continue
        try:
            link = os.readlink(os.path.join(proc, name, "root"))
        except (IOError, OSError):
            continue  # gone, or not ours to read
        if link == wanted or link.rstrip("/") == wanted.rstrip("/"):
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
