#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: service_units
version_added: 0.1.0
short_description: Write, remove and restart a set of systemd units in one call
description:
  - Makes a folder of systemd unit files hold exactly the given contents, removes the units given
    as V(null) (stopped and disabled first), reloads systemd where a file changed, and restarts the
    listed units in one C(systemctl restart) call where anything changed or O(force_restart) is set.
  - One call per node where C(ansible.builtin.template), C(ansible.builtin.file) and
    C(ansible.builtin.systemd_service) take one or more round trips each. The bench switches the
    replicas between builds before every run, and those round trips were most of its own time.
  - Files are written atomically (a temporary file beside the unit, then renamed), with mode 0644.
options:
  path:
    description: The folder of the unit files.
    type: path
    default: /etc/systemd/system
  units:
    description:
      - Unit file name to its content. V(null) (or an empty string) removes the unit, stopping
        and disabling it first where its file exists.
    type: dict
    required: true
  restart:
    description:
      - Units restarted (started where they are not running) in one C(systemctl restart) call, in
        this order, where a file changed or O(force_restart=true).
    type: list
    elements: str
    default: []
  force_restart:
    description: Restart O(restart) even where no file changed (a fresh start).
    type: bool
    default: false
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
  platform:
    platforms: posix
notes:
  - Needs systemd as the node's init (C(systemctl)).
author:
  - electrode.cluster contributors (@electrode-cluster)
"""

EXAMPLES = r"""
- name: Run the replica without the handler, and restart it
  electrode.cluster.service_units:
    units:
      electrode-handler.service: null
      electrode-replica.service: "{{ lookup('ansible.builtin.template', 'electrode-replica.service.j2') }}"
    restart: [electrode-replica.service]
"""

RETURN = r"""
written:
  description: The unit files written (or, in check mode, that would be).
  returned: always
  type: list
  elements: str
  sample: [electrode-replica.service]
removed:
  description: The units stopped, disabled and removed (or that would be).
  returned: always
  type: list
  elements: str
  sample: [electrode-handler.service]
restarted:
  description: The units restarted (or that would be); empty where nothing was restarted.
  returned: always
  type: list
  elements: str
  sample: [electrode-replica.service]
retried:
  description:
    - What the first C(systemctl restart) said where it failed and a second attempt, a second later,
      succeeded (systemd in a container was seen to fail a start with status 219/CGROUP while the
      unit's last control group was still being removed); V(null) otherwise.
  returned: always
  type: str
  sample: null
files:
  description: Each unit file's path and the sha256 of what it holds after the call, V(null) where there is none.
  returned: always
  type: dict
  sample: {"/etc/systemd/system/electrode-handler.service": null,
           "/etc/systemd/system/electrode-replica.service": "3f1c..."}
"""

import hashlib
import os
import tempfile
import time

from ansible.module_utils.basic import AnsibleModule


def _read(path):
    try:
        with open(path, "rb") as handle:
            return handle.read().decode("utf-8")
    except (IOError, OSError):
        return None


def plan(directory, units):
    """What the folder holds against what is asked: ``(write, remove, before)``.

    ``write`` maps a name to its new content, ``remove`` lists the names whose file exists and is
    not wanted, ``before`` maps every name to the content it holds now (``None``: no file).
    """
    problems = [name for name in units if not name or os.sep in name or name in (".", "..")]
    if problems:
        raise ValueError("unit names must be file names, not paths: %s" % ", ".join(repr(p) for p in sorted(problems)))
    before = dict((name, _read(os.path.join(directory, name))) for name in units)
    write = dict((name, content) for name, content in units.items() if content and before[name] != content)
    remove = [name for name in sorted(units) if not units[name] and before[name] is not None]
    return write, remove, before


class SystemctlError(Exception):
    """A systemctl call that failed, with what it said."""


def apply(directory, units, restart, force_restart, systemctl, check_mode=False, sleep=time.sleep):
    """Bring the folder to ``units`` and restart; ``systemctl(*args)`` runs systemctl (it raises on
    failure). A restart that fails is tried once more a second later: systemd in a container was
    seen to fail a start with status 219/CGROUP while the unit's last control group was still
    being removed, and to start it a second later (after ``reset-failed``, which also clears a start
    refused for the unit's start limit); ``retried`` says what the first attempt said."""
    write, remove, before = plan(directory, units)
    retried = None
    changed_files = bool(write or remove)
    restarted = list(restart) if restart and (changed_files or force_restart) else []
    if not check_mode:
        if remove:
            # (--no-reload: the one reload below covers this change too; disable would reload on its own.)
            systemctl("disable", "--now", "--no-reload", *remove)
            for name in remove:
                os.unlink(os.path.join(directory, name))
        for name, content in sorted(write.items()):
            handle, temporary = tempfile.mkstemp(prefix="." + name + ".", dir=directory)
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(content.encode("utf-8"))
                os.chmod(temporary, 0o644)
                os.rename(temporary, os.path.join(directory, name))
            except BaseException:
                if os.path.exists(temporary):
                    os.unlink(temporary)
                raise
        if changed_files:
            systemctl("daemon-reload")
        if restarted:
            try:
                systemctl("restart", *restarted)
            except SystemctlError as exc:
                retried = str(exc)
                sleep(1)
                # A start refused for its rate limit ("attempted too often") is let through again.
                try:
                    systemctl("reset-failed", *restarted)
                except SystemctlError:
                    pass
                systemctl("restart", *restarted)
    after = dict((name, (content or None)) for name, content in units.items())
    files = dict((os.path.join(directory, name), hashlib.sha256(content.encode("utf-8")).hexdigest() if content else None)
                 for name, content in after.items())
    diff = [dict(before=before[name] or "", after=after[name] or "",
                 before_header=os.path.join(directory, name) if before[name] is not None else "(absent)",
                 after_header=os.path.join(directory, name) if after[name] is not None else "(absent)")
            for name in sorted(units) if before[name] != after[name]]
    return dict(changed=changed_files or bool(restarted), written=sorted(write), removed=remove,
                restarted=restarted, retried=retried, files=files, diff=diff)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type="path", default="/etc/systemd/system"),
            units=dict(type="dict", required=True),
            restart=dict(type="list", elements="str", default=[]),
            force_restart=dict(type="bool", default=False),
        ),
        supports_check_mode=True,
    )
    params = module.params
    units = dict((name, None if content is None else str(content)) for name, content in params["units"].items())
    if not os.path.isdir(params["path"]):
        module.fail_json(msg="%s is not a folder: the units' path must exist (is systemd this node's init?)" % params["path"])
    unknown = [name for name in params["restart"] if name not in units]
    absent = [name for name in params["restart"] if name in units and not units[name]]
    if absent:
        module.fail_json(msg="restart names unit(s) that units removes: %s" % ", ".join(absent))
    binary = module.get_bin_path("systemctl", required=not module.check_mode)

    def systemctl(*args):
        rc, out, err = module.run_command([binary] + list(args))
        if rc != 0:
            raise SystemctlError("systemctl %s failed (rc %d): %s" % (" ".join(args), rc, (err or out).strip()))

    try:
        result = apply(params["path"], units, params["restart"], params["force_restart"], systemctl, module.check_mode)
    except (ValueError, SystemctlError) as exc:
        module.fail_json(msg=str(exc))
    if result["retried"]:
        module.warn("the restart was tried again a second later and succeeded; the first attempt: %s" % result["retried"])
    diff = result.pop("diff")
    if module._diff:
        result["diff"] = diff
    if unknown:
        module.warn("restart names unit(s) this call does not write: %s (restarted as they are)" % ", ".join(unknown))
    module.exit_json(**result)


if __name__ == "__main__":
    main()
