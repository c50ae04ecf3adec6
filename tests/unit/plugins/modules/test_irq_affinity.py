# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""irq_affinity.pin on a fake /sys and /proc laid out as the kernel lays them out."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import os

from ansible_collections.electrode.cluster.plugins.modules.irq_affinity import pin


def fake_host(tmp_path, irqs, online="0-3\n", interface="enp94s0f0"):
    (tmp_path / "sys/devices/system/cpu").mkdir(parents=True)
    (tmp_path / "sys/devices/system/cpu/online").write_text(online)
    net = tmp_path / "sys/class/net" / interface
    net.mkdir(parents=True)
    (tmp_path / "sys/class/net/lo").mkdir()
    if irqs is not None:
        (net / "device/msi_irqs").mkdir(parents=True)
    for irq, affinity in (irqs or {}).items():
        (net / "device/msi_irqs" / irq).write_text("msix\n")
        (tmp_path / "proc/irq" / irq).mkdir(parents=True)
        (tmp_path / "proc/irq" / irq / "smp_affinity_list").write_text(affinity + "\n")
    return str(tmp_path)


def write_file(path, value):
    with open(path, "w") as handle:
        handle.write(value + "\n")


def test_pins_every_msi_interrupt_that_differs(tmp_path):
    root = fake_host(tmp_path, {"125": "0-3", "126": "0", "98": "2"})
    irqs, unsupported, problems = pin("enp94s0f0", "0", write_file, root)
    assert (unsupported, problems) == ([], [])
    assert irqs == {"98": {"before": "2", "after": "0"}, "125": {"before": "0-3", "after": "0"},
                    "126": {"before": "0", "after": "0"}}
    assert (tmp_path / "proc/irq/125/smp_affinity_list").read_text() == "0\n"
    assert (tmp_path / "proc/irq/98/smp_affinity_list").read_text() == "0\n"


def test_a_second_run_changes_nothing(tmp_path):
    root = fake_host(tmp_path, {"125": "0", "126": "0"})
    writes = []
    irqs, unsupported, problems = pin("enp94s0f0", "0", lambda p, v: writes.append(p), root)
    assert writes == [] and all(i["before"] == i["after"] for i in irqs.values())


def test_cpus_outside_the_host_fail_before_any_write(tmp_path):
    root = fake_host(tmp_path, {"125": "0-3"}, online="0-1\n")
    writes = []
    irqs, unsupported, problems = pin("enp94s0f0", "1-2", lambda p, v: writes.append(p), root)
    assert problems == ["cpus 1-2 names CPU(s) 2, outside this host's online CPUs 0-1."]
    assert writes == [] and irqs == {}


def test_a_bad_cpu_list_and_an_unknown_interface(tmp_path):
    root = fake_host(tmp_path, {"125": "0"})
    assert pin("enp94s0f0", "zero", write_file, root)[2] == ["cpus: 'zero' is not a CPU list (e.g. 0, 0-3 or 0,2-3)."]
    assert pin("eth9", "0", write_file, root)[2] == ["interface eth9 does not exist on this host (it has: enp94s0f0, lo)."]


def test_a_virtual_nic_has_no_msi_interrupts(tmp_path):
    root = fake_host(tmp_path, None, interface="host0")
    irqs, unsupported, problems = pin("host0", "0", write_file, root)
    assert irqs == {} and problems == []
    assert unsupported == ["host0 has no MSI interrupts (/sys/class/net/host0/device/msi_irqs does not exist)"]


def test_interrupts_the_kernel_will_not_move_are_reported(tmp_path):
    root = fake_host(tmp_path, {"125": "0-3", "126": "1"})

    def refuse(path, value):
        if "/125/" in path:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    irqs, unsupported, problems = pin("enp94s0f0", "0", refuse, root)
    assert unsupported == [
        "irq 125: cannot pin it to 0: the kernel manages this interrupt's affinity",
        "irq 126: cannot pin it to 0: /proc/irq is read-only here (a container?)",
    ]
    assert irqs == {"125": {"before": "0-3", "after": "0-3"}, "126": {"before": "1", "after": "1"}}
