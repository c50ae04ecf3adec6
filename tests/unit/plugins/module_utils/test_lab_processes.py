# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A lab node's processes found by their root directory on a /proc of our own, and the causes a
node's console names (lines as systemd-nspawn and the lab's launcher wrote them)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.electrode.cluster.plugins.module_utils.lab_processes import console_causes, parse_mountinfo, processes_in_root


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


OVERLAY = ("overlay electrode-lab-replica2 rw,lowerdir=/var/cache/electrode-lab/images/bookworm,"
           "upperdir=/var/lib/electrode-lab/nodes/replica2/upper,workdir=/var/lib/electrode-lab/nodes/replica2/work,uuid=on")


def test_processes_in_the_nodes_own_mount_namespace_are_found_by_their_root_mount(tmp_path):
    # Inside the node's mount namespace /proc/PID/root reads as "/" and, once the host's mount of the
    # node's root was replaced (lab_destroy.yml, then lab.yml), is another directory: the root mount
    # is the same filesystem all the same (type, source, options).
    node = tmp_path / "nodes" / "replica2" / "root"
    node.mkdir(parents=True)
    proc = tmp_path / "proc"
    (proc / "self").mkdir(parents=True)
    (proc / "self" / "mountinfo").write_text(
        "27 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw\n"
        "176 27 0:82 / %s rw,relatime shared:90 - %s\n" % (node, OVERLAY))
    for pid, source in (("201", OVERLAY), ("202", OVERLAY.replace("replica2", "replica1")), ("203", "ext4 /dev/vda1 rw")):
        (proc / pid).mkdir()
        os.symlink("/", str(proc / pid / "root"))
        (proc / pid / "mountinfo").write_text("650 600 0:68 / / rw,relatime - %s\n701 650 0:70 / /proc rw - proc proc rw\n" % source)
    assert processes_in_root(str(node), str(proc)) == [201]
    # Not mounted on the host: only the directory itself can tell.
    (proc / "self" / "mountinfo").write_text("27 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw\n")
    assert processes_in_root(str(node), str(proc)) == []


def test_mountinfo_is_read_with_its_escapes():
    mounts = parse_mountinfo("36 35 98:0 /mnt1 /mnt/my\\040disk rw,noatime master:1 - ext3 /dev/root rw,errors=continue\nbroken\n")
    assert mounts == [{"mount_point": "/mnt/my disk", "fstype": "ext3", "source": "/dev/root", "super_options": "rw,errors=continue"}]


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
