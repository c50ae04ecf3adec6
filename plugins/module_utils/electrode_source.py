# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An Electrode source tree: packing it reproducibly, and writing the cluster into it.

The handler's build depends on the cluster: ``CLUSTER_SIZE`` in ``xdp-handler/fast_common.h`` must
be 2f+1 and the ``eths[FAST_REPLICA_MAX]`` initializer in ``xdp-handler/fast_user.c`` must list
the replicas' MAC addresses in index order. Both are found by pattern, never by line number.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import fnmatch
import hashlib
import io
import json
import os
import re
import stat
import subprocess
import tarfile

FEATURES = ("TC_BROADCAST", "FAST_QUORUM_PRUNE", "FAST_REPLY")

COMMON_H = "xdp-handler/fast_common.h"
USER_C = "xdp-handler/fast_user.c"

# What makes a folder an Electrode tree, for this collection: the files it reads or builds.
REQUIRED_FILES = (
    "Makefile",
    "xdp-handler/Makefile",
    COMMON_H,
    USER_C,
    "xdp-handler/fast_kern.c",
)

# Build outputs and local state that never belong in a source archive.
DEFAULT_EXCLUDES = (
    ".git",
    ".obj",
    "xdp-handler/linux",
    "*.o",
    "*.ll",
    "*.a",
    "bench/client",
    "bench/replica",
    "xdp-handler/fast",
)

_CLUSTER_SIZE = re.compile(r"^([ \t]*#[ \t]*define[ \t]+CLUSTER_SIZE[ \t]+)(\S+)", re.M)
_REPLICA_MAX = re.compile(r"^[ \t]*#[ \t]*define[ \t]+FAST_REPLICA_MAX[ \t]+(\S+)", re.M)
_ETHS = re.compile(
    r"(\bconst\s+char\s*\*\s*eths\s*\[\s*FAST_REPLICA_MAX\s*\]\s*=\s*)\{[^{};]*\}", re.S
)
_MAC = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$")


def _excluded(relpath, excludes):
    parts = relpath.split("/")
    for pattern in excludes:
        if "/" in pattern:
            if relpath == pattern or relpath.startswith(pattern + "/"):
                return True
        elif any(fnmatch.fnmatchcase(part, pattern) for part in parts):
            return True
    return False


def _git(path, *args):
    return subprocess.check_output(("git", "-C", path) + args)


def source_files(path, excludes=DEFAULT_EXCLUDES):
    """The files of the tree, relative and sorted, and what git says about it.

    A git work tree contributes its tracked and untracked-but-not-ignored files (so local edits
    count, build outputs that .gitignore names do not); any other folder all its files.
    Returns (files, commit, dirty): commit and dirty are None outside git.
    """
    commit = dirty = None
    if os.path.exists(os.path.join(path, ".git")):
        listing = _git(path, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
        names = set(n for n in listing.decode("utf-8", "surrogateescape").split("\0") if n)
        commit = _git(path, "rev-parse", "HEAD").decode().strip()
        dirty = bool(_git(path, "status", "--porcelain", "--untracked-files=no").strip())
        # ls-files lists deleted files too
        names = [n for n in names if os.path.lexists(os.path.join(path, n))]
    else:
        names = []
        for root, dirs, files in os.walk(path):
            rel = os.path.relpath(root, path)
            rel = "" if rel == "." else rel + "/"
            dirs[:] = [d for d in dirs if not _excluded(rel + d, excludes)]
            names.extend(rel + f for f in files)
    files = sorted(n for n in names if not _excluded(n, excludes))
    return files, commit, dirty


def missing_files(path, required=REQUIRED_FILES):
    return [name for name in required if not os.path.isfile(os.path.join(path, name))]


def tree_problem(path):
    """Why ``path`` is not an Electrode tree, as the end of a sentence, or None when it is one."""
    if not os.path.isdir(path):
        return "does not exist (or is not a folder)"
    missing = missing_files(path)
    if missing:
        return "is not an Electrode tree (it has no %s)" % ", ".join(missing)
    return None


def pack(path, files, out):
    """Write a tar of ``files`` to the file object ``out``, the same bytes for the same contents.

    Names sorted, times, owners and modes normalised (0755 when the owner may execute, else 0644);
    symlinks kept as links. Returns the sha256 of what was written.
    """
    digest = hashlib.sha256()

    class _Hashing(object):
        def write(self, data):
            digest.update(data)
            return out.write(data)

    with tarfile.open(fileobj=_Hashing(), mode="w|", format=tarfile.GNU_FORMAT) as tar:
        for name in files:
            full = os.path.join(path, name)
            st = os.lstat(full)
            info = tarfile.TarInfo(name)
            info.mtime = 0
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            if stat.S_ISLNK(st.st_mode):
                info.type = tarfile.SYMTYPE
                info.linkname = os.readlink(full)
                info.mode = 0o777
                tar.addfile(info)
            elif stat.S_ISREG(st.st_mode):
                info.size = st.st_size
                info.mode = 0o755 if st.st_mode & stat.S_IXUSR else 0o644
                with open(full, "rb") as handle:
                    tar.addfile(info, handle)
    return digest.hexdigest()


def _one(pattern, text, what, where, fix):
    found = pattern.findall(text)
    if len(found) == 1:
        return None
    if not found:
        return "%s: %s not found (%s)" % (where, what, fix)
    return "%s: %s found %d times, expected once (%s)" % (where, what, len(found), fix)


def replica_max(common_h):
    """FAST_REPLICA_MAX as the source defines it, or None."""
    match = _REPLICA_MAX.search(common_h or "")
    if match and match.group(1).isdigit():
        return int(match.group(1))
    return None


def cluster_patches(files, cluster_size, macs):
    """The two patched files for a cluster, and every problem found.

    ``files`` maps ``COMMON_H`` and ``USER_C`` to their text. Returns a dict with ``files``
    (path -> patched text, only when there is no problem), ``replica_max`` and ``problems``.
    """
    problems = []
    common_h = files.get(COMMON_H)
    user_c = files.get(USER_C)
    fix = "is this an Electrode tree? set electrode_source_path or electrode_version to one"
    if common_h is None or user_c is None:
        problems.append("the source has no %s or %s (%s)" % (COMMON_H, USER_C, fix))
        return {"files": {}, "replica_max": None, "problems": problems}

    for pattern, text, what, where in (
        (_CLUSTER_SIZE, common_h, "'#define CLUSTER_SIZE N'", COMMON_H),
        (_REPLICA_MAX, common_h, "'#define FAST_REPLICA_MAX N'", COMMON_H),
        (_ETHS, user_c, "the 'const char *eths[FAST_REPLICA_MAX] = {...};' initializer", USER_C),
    ):
        problem = _one(pattern, text, what, where, fix)
        if problem:
            problems.append(problem)

    limit = replica_max(common_h)
    if not isinstance(cluster_size, int) or cluster_size < 3 or cluster_size % 2 == 0:
        problems.append("CLUSTER_SIZE must be an odd number >= 3 (2f+1), got %r" % (cluster_size,))
    elif limit is not None and cluster_size > limit:
        problems.append(
            "%d replicas, but eths[] holds FAST_REPLICA_MAX = %d (%s): use at most %d replicas"
            % (cluster_size, limit, COMMON_H, limit if limit % 2 else limit - 1)
        )
    if len(macs) != cluster_size:
        problems.append("%d MAC addresses for CLUSTER_SIZE %r" % (len(macs), cluster_size))
    bad = [m for m in macs if not _MAC.match(str(m))]
    if bad:
        problems.append("not MAC addresses in the form aa:bb:cc:dd:ee:ff: %s" % ", ".join(map(str, bad)))
    if problems:
        return {"files": {}, "replica_max": limit, "problems": problems}

    table = "{" + ", ".join('"%s"' % m for m in macs) + "}"
    return {
        "files": {
            COMMON_H: _CLUSTER_SIZE.sub(lambda m: m.group(1) + str(cluster_size), common_h),
            USER_C: _ETHS.sub(lambda m: m.group(1) + table, user_c),
        },
        "replica_max": limit,
        "problems": [],
    }


def feature_problems(features):
    """Names in ``features`` that are not feature flags, as messages."""
    if not isinstance(features, (list, tuple)):
        return ["must be a list of flag names, got %r" % (features,)]
    unknown = [f for f in features if f not in FEATURES]
    if unknown:
        return [
            "unknown feature flag(s) %s: the flags are %s (an empty list builds the baseline)"
            % (", ".join(map(str, unknown)), ", ".join(FEATURES))
        ]
    if len(set(features)) != len(features):
        return ["lists a flag twice: %s" % ", ".join(features)]
    return []


def build_name(features, inputs):
    """A build tree's folder name: its flags, readable, and a hash of every input."""
    flags = [f for f in FEATURES if f in features]
    label = "+".join(flags) if flags else "baseline"
    blob = json.dumps(inputs, sort_keys=True, default=str).encode("utf-8")
    return "%s-%s" % (label, hashlib.sha256(blob).hexdigest()[:12])


def config_txt(f, addresses, port):
    """The text of config.txt: ``f N`` then one ``replica IP:PORT`` line per replica."""
    lines = ["f %d" % f] + ["replica %s:%d" % (address, port) for address in addresses]
    return "\n".join(lines) + "\n"


def read_text(path, name):
    with io.open(os.path.join(path, name), encoding="utf-8", errors="surrogateescape") as handle:
        return handle.read()


def sized_cluster(cluster, replicas=None):
    """The cluster a build of ``replicas`` serves: its first ``replicas`` replicas in index order,
    f = (replicas - 1) / 2 (1: one unreplicated server, f = 0). None: the whole cluster."""
    if replicas is None:
        return cluster
    replicas = int(replicas)
    if replicas < 1 or replicas > int(cluster["cluster_size"]) or (replicas > 1 and replicas % 2 == 0):
        raise ValueError("a build serves 1 replica (unreplicated) or an odd number from 3 to the cluster's %s, not %s"
                         % (cluster["cluster_size"], replicas))
    return dict(cluster, f=(replicas - 1) // 2, cluster_size=replicas, addresses=list(cluster["addresses"])[:replicas],
                macs=list(cluster["macs"])[:replicas])


def build_plan(source, cluster, features, kernel_tree, replicas=None):
    """Everything a build needs, computed once on the controller.

    ``source`` is what the electrode_source module returned, ``cluster`` the cluster model,
    ``features`` the flag list and ``kernel_tree`` a string that identifies the kernel tree
    (its path and how it was made); ``replicas``: a build for the first N replicas only
    (:func:`sized_cluster`). Returns the build's ``name`` (flags + hash of every input),
    ``cflags``, ``config_txt``, the patched ``files``, ``cluster_size`` and ``macs`` (as patched),
    ``replicas`` (the servers config.txt names), the ``inputs`` and every ``problem``.
    """
    serving = sized_cluster(cluster, replicas)
    # One unreplicated server runs no handler: its build keeps the cluster's CLUSTER_SIZE and MAC
    # table (the handler's sources need 2f+1), only its config.txt names the one server, f 0.
    cluster = cluster if serving["cluster_size"] == 1 else serving
    problems = ["electrode_features %s" % p for p in feature_problems(features)]
    flags = [f for f in FEATURES if f in features] if not problems else []
    config = config_txt(serving["f"], serving["addresses"], serving["port"])
    patches = cluster_patches(source.get("files") or {}, cluster["cluster_size"], cluster["macs"])
    problems.extend(patches["problems"])
    inputs = {
        "source_sha256": source.get("sha256"),
        "features": flags,
        "cluster_size": cluster["cluster_size"],
        "macs": list(cluster["macs"]),
        "config_txt": config,
        "kernel_tree": kernel_tree,
    }
    return {
        "name": build_name(flags, inputs),
        "features": flags,
        "cflags": " ".join("-D" + f for f in flags),
        "config_txt": config,
        "files": patches["files"],
        "replica_max": patches["replica_max"],
        "cluster_size": cluster["cluster_size"],
        "macs": list(cluster["macs"]),
        "replicas": serving["cluster_size"],
        "inputs": inputs,
        "commit": source.get("commit"),
        "dirty": source.get("dirty"),
        "problems": problems,
    }
