#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: lab_processes
version_added: 0.1.0
short_description: Find, or stop, the processes of a lab node by its root filesystem
description:
  - Used by the C(lab) role on the machine that hosts the lab. A node's processes all have the
    node's root filesystem as their root; they are found that way even when the node's launcher
    and C(systemd-nspawn) are gone (killed) and its init goes on as an orphan, holding the node's
    veth and mounts.
  - A process's root matches when C(/proc/PID/root) is the same directory as O(root) (device and
    inode), or when its root mount is the filesystem mounted at O(root) on the host (type, source
    and options; C(/proc/PID/root) of a process in the node's own mount namespace reads as C(/)),
    which still holds after the host's mount of the node's root was replaced.
  - With O(state=absent), sends them O(signal) and waits up to O(timeout) seconds for them to end.
options:
  root:
    description: The node's root directory, as the host sees it.
    type: path
    required: true
  state:
    description: C(present) only finds them; C(absent) stops them.
    type: str
    choices: [present, absent]
    default: present
  signal:
    description: The signal that stops them.
    type: str
    choices: [TERM, KILL]
    default: KILL
  timeout:
    description: Seconds to wait for them to end.
    type: int
    default: 20
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  platform:
    platforms: posix
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
author:
  - electrode.cluster contributors (@electrode-cluster)
"""

EXAMPLES = r"""
- name: Stop whatever still runs in a lab node's root (an orphaned init after systemd-nspawn was killed)
  electrode.cluster.lab_processes:
    root: /var/lib/electrode-lab/nodes/replica2/root
    state: absent
"""

RETURN = r"""
pids:
  description: The processes found in the root (before stopping them).
  returned: always
  type: list
  elements: int
commands:
  description: Their command lines, by pid.
  returned: always
  type: dict
left:
  description: The processes still there after O(timeout) (stopping them failed).
  returned: when O(state=absent)
  type: list
  elements: int
"""

import os
import signal
import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.electrode.cluster.plugins.module_utils.lab_processes import command_of, processes_in_root


def main():
    module = AnsibleModule(
        argument_spec=dict(
            root=dict(type="path", required=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            signal=dict(type="str", choices=["TERM", "KILL"], default="KILL"),
            timeout=dict(type="int", default=20),
        ),
        supports_check_mode=True,
    )
    root = module.params["root"]
    pids = processes_in_root(root) if os.path.isdir(root) else []
    result = dict(changed=False, pids=pids, commands=dict((str(p), command_of(p)) for p in pids))
    if module.params["state"] == "absent" and pids:
        result["changed"] = True
        if not module.check_mode:
            number = signal.SIGKILL if module.params["signal"] == "KILL" else signal.SIGTERM
            for pid in pids:
                try:
                    os.kill(pid, number)
                except OSError:
                    pass
            deadline = time.time() + module.params["timeout"]
            left = pids
            while left and time.time() < deadline:
                time.sleep(0.1)
                left = [p for p in processes_in_root(root) if p in pids]
            result["left"] = left
            if left:
                module.fail_json(msg="%s: processes %s did not end within %d s after SIG%s" % (
                    root, ", ".join(str(p) for p in left), module.params["timeout"], module.params["signal"]), **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
