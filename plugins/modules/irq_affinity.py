#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: irq_affinity
version_added: 0.1.0
short_description: Pin a NIC's MSI interrupts to a list of CPUs
description:
  - Finds the interface's interrupts in C(/sys/class/net/IFACE/device/msi_irqs) and writes the
    CPU list to C(/proc/irq/N/smp_affinity_list) of each one whose affinity differs.
  - A CPU list outside the host's online CPUs fails before anything changes.
  - An interface without MSI interrupts (veth, bridges, most virtual NICs), and an interrupt the
    kernel will not move (managed interrupts answer EIO; a container's read-only C(/proc/irq)
    answers EROFS or EACCES), are listed in RV(unsupported); with O(strict=true) that fails.
  - Stop irqbalance first, or it moves the interrupts again (the nic_tuning role does).
options:
  interface:
    description: The interface whose interrupts are pinned.
    type: str
    required: true
  cpus:
    description: The CPU list, in the kernel's form (C(0), C(0-3), C(0,2-3)).
    type: str
    required: true
  strict:
    description: Fail when an interrupt cannot be pinned, or the interface has none, instead of reporting it.
    type: bool
    default: true
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
  platform:
    platforms: posix
author:
  - electrode.cluster contributors (@electrode-cluster)
"""

EXAMPLES = r"""
- name: Every interrupt of the experiment NIC on CPU 0, as Electrode's setup does
  electrode.cluster.irq_affinity:
    interface: enp94s0f0
    cpus: "0"
"""

RETURN = r"""
irqs:
  description: Each interrupt of the interface with its affinity before and after.
  returned: always
  type: dict
  sample: {"125": {"before": "0-39", "after": "0"}, "126": {"before": "0-39", "after": "0"}}
cpus:
  description: The CPU list as the kernel writes it.
  returned: always
  type: str
  sample: "0"
unsupported:
  description: What could not be pinned, and why.
  returned: always
  type: list
  elements: str
  sample: ["eth1 has no MSI interrupts (/sys/class/net/eth1/device/msi_irqs does not exist)"]
"""

import errno
import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.electrode.cluster.plugins.module_utils.nic import cpu_list_problems, format_cpu_list, parse_cpu_list


def pin(interface, cpus, write, root="/"):
    """Pin the interface's MSI interrupts; ``root`` lets tests use a fake /sys and /proc.

    :returns: (irqs {irq: {before, after}}, unsupported [sentence], problems [sentence]).
    """
    problems, unsupported, irqs = [], [], {}
    net = os.path.join(root, "sys/class/net", interface)
    if not os.path.exists(net):
        names = sorted(os.listdir(os.path.join(root, "sys/class/net")))
        return irqs, unsupported, ["interface %s does not exist on this host (it has: %s)." % (interface, ", ".join(names))]
    with open(os.path.join(root, "sys/devices/system/cpu/online")) as handle:
        problems = cpu_list_problems(cpus, handle.read())
    if problems:
        return irqs, unsupported, problems
    wanted_text = format_cpu_list(parse_cpu_list(cpus))
    msi = os.path.join(net, "device/msi_irqs")
    if not os.path.isdir(msi):
        unsupported.append("%s has no MSI interrupts (/sys/class/net/%s/device/msi_irqs does not exist)" % (interface, interface))
        return irqs, unsupported, problems
    for irq in sorted(os.listdir(msi), key=int):
        path = os.path.join(root, "proc/irq", irq, "smp_affinity_list")
        try:
            with open(path) as handle:
                before = format_cpu_list(parse_cpu_list(handle.read()))
        except (IOError, OSError, ValueError) as exc:
            unsupported.append("irq %s: cannot read its affinity (%s)" % (irq, exc))
            continue
        after = before
        if before != wanted_text:
            try:
                write(path, wanted_text)
                after = wanted_text
            except (IOError, OSError) as exc:
                why = {errno.EIO: "the kernel manages this interrupt's affinity",
                       errno.EROFS: "/proc/irq is read-only here (a container?)",
                       errno.EACCES: "permission denied"}.get(exc.errno, str(exc))
                unsupported.append("irq %s: cannot pin it to %s: %s" % (irq, wanted_text, why))
        irqs[irq] = {"before": before, "after": after}
    return irqs, unsupported, problems


def main():
    module = AnsibleModule(
        argument_spec=dict(
            interface=dict(type="str", required=True),
            cpus=dict(type="str", required=True),
            strict=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )

    def write(path, value):
        if module.check_mode:
            return
        with open(path, "w") as handle:
            handle.write(value + "\n")

    irqs, unsupported, problems = pin(module.params["interface"], module.params["cpus"], write)
    result = dict(
        changed=any(i["before"] != i["after"] for i in irqs.values()),
        irqs=irqs,
        unsupported=unsupported,
        cpus=module.params["cpus"],
    )
    if problems:
        module.fail_json(msg="%s: %s" % (module.params["interface"], " ".join(problems)), **result)
    result["cpus"] = format_cpu_list(parse_cpu_list(module.params["cpus"]))
    if unsupported and module.params["strict"]:
        module.fail_json(
            msg="%s: %s (set strict: false to report this instead)" % (module.params["interface"], "; ".join(unsupported)),
            **result
        )
    if module._diff:
        result["diff"] = dict(
            before="".join("irq %s: %s\n" % (n, i["before"]) for n, i in sorted(irqs.items(), key=lambda x: int(x[0]))),
            after="".join("irq %s: %s\n" % (n, i["after"]) for n, i in sorted(irqs.items(), key=lambda x: int(x[0]))),
        )
    module.exit_json(**result)


if __name__ == "__main__":
    main()
