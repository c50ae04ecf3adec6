# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A lab node's processes found by their root directory on a /proc of our own, and the causes a
node's console names (lines as systemd-nspawn and the lab's launcher wrote them)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.electrode.cluster.plugins.module_utils.lab_processes import console_causes, processes_in_root


def test_processes_are_found_by_their_root(tmp_path):
    node = tmp_path / "nodes" / "replica2" / "root"
    node.mkdir(parents=True)
    proc = tmp_path / "proc"
    for pid, root in (("101", str(node)), ("102", str(node) + "/"), ("103", "/"), ("self", str(node))):
        (proc / pid).mkdir(parents=True)
        os.symlink(root, str(proc / pid / "root"))
    (proc / "104").mkdir()  # a process whose root cannot be read
    assert processes_in_root(str(node), str(proc)) == [101, 102]
    assert processes_in_root(str(tmp_path / "nodes" / "other"), str(proc)) == []


def test_the_console_names_the_cause_and_the_fix():
    log = ("Spawning container replica2 on /var/lib/electrode-lab/nodes/replica2/root.\n"
           "Failed to add new veth interfaces (vb-replica2:host0): File exists\n"
           "Error: XDP program already attached.\n"
           "Failed to add new veth interfaces (vb-replica2:host0): File exists\n")
    causes = console_causes(log)
    assert len(causes) == 2
    assert causes[0].startswith("its veth vb-replica2 is still held by an earlier run of the node whose processes survived")
    assert causes[1].startswith("an XDP program is still attached to its veth")
    assert console_causes("Spawning container client0.\nsystemd 252 running in system mode\n") == []
