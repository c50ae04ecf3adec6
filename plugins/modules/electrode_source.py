#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: electrode_source
version_added: 0.1.0
short_description: Pack an Electrode source tree into a reproducible archive
description:
  - Checks that a folder is an Electrode tree (the files the build reads), packs it into a tar
    whose bytes depend only on the files' contents, names and executable bits, and stores it as
    C(SHA256.tar) in O(cache_dir). The same tree always gives the same archive and digest, so the
    digest is a build input.
  - A git work tree contributes its tracked files and its untracked files that C(.gitignore) does
    not ignore, so local edits count and build outputs do not; RV(commit) and RV(dirty) say where
    it stands. Any other folder contributes all its files but O(exclude).
  - Returns the text of O(read) files, for checks and patches made on the controller.
options:
  path:
    description: The tree (a folder or a git work tree).
    type: path
    required: true
  cache_dir:
    description: Where the archive is stored.
    type: path
    required: true
  required:
    description: Files that must exist in the tree, relative to it.
    type: list
    elements: str
    default: [Makefile, xdp-handler/Makefile, xdp-handler/fast_common.h, xdp-handler/fast_user.c, xdp-handler/fast_kern.c]
  exclude:
    description:
      - Left out of the archive. A pattern with a C(/) is a path from the tree's top (and all
        below it); one without matches any path component.
    type: list
    elements: str
    default: [.git, .obj, xdp-handler/linux, "*.o", "*.ll", "*.a", bench/client, bench/replica, xdp-handler/fast]
  read:
    description: Files, relative to the tree, whose text is returned in RV(files).
    type: list
    elements: str
    default: [xdp-handler/fast_common.h, xdp-handler/fast_user.c]
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: In check mode the archive is computed, not stored.
  diff_mode:
    support: none
  platform:
    platforms: posix
author:
  - electrode.cluster contributors (@electrode-cluster)
"""

EXAMPLES = r"""
- name: Pack a local clone of Electrode_io on the controller
  electrode.cluster.electrode_source:
    path: ~/src/Electrode_io
    cache_dir: ~/.cache/electrode.cluster/sources
  delegate_to: localhost
  run_once: true
  register: source
"""

RETURN = r"""
archive:
  description: Path of the archive (in check mode, where it would be).
  returned: always
  type: str
  sample: /root/.cache/electrode.cluster/sources/5d1c...e2.tar
sha256:
  description: The archive's sha256.
  returned: always
  type: str
file_count:
  description: How many files the archive holds.
  returned: always
  type: int
commit:
  description: The commit checked out, for a git work tree; null otherwise.
  returned: always
  type: str
dirty:
  description: Whether tracked files differ from that commit; null outside git.
  returned: always
  type: bool
files:
  description: Text of each O(read) file.
  returned: always
  type: dict
"""

import os
import tempfile

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_native

from ansible_collections.electrode.cluster.plugins.module_utils.electrode_source import (
    DEFAULT_EXCLUDES,
    REQUIRED_FILES,
    missing_files,
    pack,
    read_text,
    source_files,
)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type="path", required=True),
            cache_dir=dict(type="path", required=True),
            required=dict(type="list", elements="str", default=list(REQUIRED_FILES)),
            exclude=dict(type="list", elements="str", default=list(DEFAULT_EXCLUDES)),
            read=dict(type="list", elements="str", default=["xdp-handler/fast_common.h", "xdp-handler/fast_user.c"]),
        ),
        supports_check_mode=True,
    )
    path = module.params["path"]
    cache_dir = module.params["cache_dir"]
    if not os.path.isdir(path):
        module.fail_json(msg="%s is not a folder" % path)
    missing = missing_files(path, module.params["required"])
    if missing:
        module.fail_json(
            msg="%s is not an Electrode tree: it has no %s" % (path, ", ".join(missing)),
            missing=missing,
        )
    try:
        files, commit, dirty = source_files(path, module.params["exclude"])
    except (OSError, ValueError) as exc:
        module.fail_json(msg="cannot list the files of %s: %s" % (path, to_native(exc)))
    except Exception as exc:  # git failing on a damaged work tree
        module.fail_json(msg="cannot list the files of %s with git: %s" % (path, to_native(exc)))

    texts = {}
    for name in module.params["read"]:
        try:
            texts[name] = read_text(path, name)
        except (IOError, OSError) as exc:
            module.fail_json(msg="cannot read %s in %s: %s" % (name, path, to_native(exc)))

    if not module.check_mode and not os.path.isdir(cache_dir):
        os.makedirs(cache_dir, 0o755)
    scratch_dir = cache_dir if os.path.isdir(cache_dir) else None
    fd, scratch = tempfile.mkstemp(prefix=".pack-", suffix=".tar", dir=scratch_dir)
    try:
        with os.fdopen(fd, "wb") as out:
            digest = pack(path, files, out)
        archive = os.path.join(cache_dir, digest + ".tar")
        changed = not os.path.exists(archive)
        if changed and not module.check_mode:
            os.chmod(scratch, 0o644)
            os.rename(scratch, archive)
    finally:
        if os.path.exists(scratch):
            os.unlink(scratch)

    module.exit_json(
        changed=changed,
        archive=archive,
        sha256=digest,
        file_count=len(files),
        commit=commit,
        dirty=dirty,
        files=texts,
    )


if __name__ == "__main__":
    main()
