#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: electrode_state
version_added: 0.1.0
short_description: Read back what the collection's stages left on a node
description:
  - Reads, in one round trip, what the stages recorded on the node and what its units run - the
    prepared kernel tree and its inputs (kernel_source), every build tree and its inputs
    (electrode_build), what the units run (their build, the handler, the protocol, read from the
    units themselves), each unit's InvocationID, NRestarts, MainPID, state and CPU time
    (C(systemctl show)), and the record of the replicas' last common start - plus the node's
    online CPUs, CPU times and interfaces.
  - The facts play puts the result in C(electrode_node.deployed), so that a stage run alone
    (C(--tags electrode_services), C(bench.yml)) finds what earlier runs made.
  - Only reads; never changes anything. With O(sample_start) it also starts a sampler that reads
    the node's CPU times, the units' CPU time, the handler's eBPF programs' run time and
    O(interface)'s packet counters ten times a second until O(sample_start.until), and with
    O(sample_collect) stops it and returns what it read (RV(samples)), the bench's view of a run.
options:
  state_dir:
    description: The folder the stages write their records in.
    type: path
    default: /var/lib/electrode/state
  units:
    description: The systemd units to read; a unit that does not exist is reported with C(load_state=not-found).
    type: list
    elements: str
    default: [electrode-handler.service, electrode-replica.service]
  starts_record:
    description: The record of the replicas' last common start (electrode_services keeps it in C(/run)).
    type: path
    default: /run/electrode-replica-starts.json
  files:
    description:
      - Files whose content to read back as sha256 (RV(files)); a role compares them with what it
        would write now and writes only what differs. By default the files electrode_services
        writes (the units and the handler's helper scripts).
    type: list
    elements: path
    default:
      - /etc/systemd/system/electrode-handler.service
      - /etc/systemd/system/electrode-replica.service
      - /usr/local/libexec/electrode/electrode-handler-clean
      - /usr/local/libexec/electrode/electrode-handler-ready
  interface:
    description:
      - Also read this interface's XDP counters (every C(ethtool -S) counter whose name contains
        C(xdp)), returned as RV(xdp_counters). The bench reads them before and after each run.
    type: str
  nic:
    description:
      - Also read O(interface)'s settings as the C(electrode.cluster.ethtool) module reads them
        (coalescing, channels and rings) with its MTU and driver, returned as RV(nic). The bench
        records them once per experiment as each node's provenance.
    type: bool
    default: false
  sample_start:
    description:
      - Start the sampler (module_utils/bench_sampler.py) as a process of its own, after this
        module read the units (it samples their main processes' cgroups and the handler's eBPF
        programs) and O(interface).
    type: dict
    suboptions:
      path:
        description: The file the sampler writes, one JSON object a line.
        type: path
        required: true
      until:
        description: When the sampler stops on its own, in seconds since the epoch (O(sample_collect) stops it sooner).
        type: float
        required: true
      interval:
        description: Seconds between samples.
        type: float
        default: 0.1
      bpf_stats:
        description:
          - Turn the kernel's eBPF run-time statistics on while the sampler runs (C(BPF_ENABLE_STATS),
            which needs CAP_SYS_ADMIN; where it cannot, they count only if C(kernel.bpf_stats_enabled) is 1).
        type: bool
        default: true
  sample_collect:
    description: Stop the sampler that writes this file, and return its samples (RV(samples)); the file is removed.
    type: path
  journal_since:
    description:
      - Also read what the units logged since this time (seconds since the epoch), returned as
        RV(journal). The bench reads the log of each run with it.
    type: float
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  platform:
    platforms: posix
author:
  - electrode.cluster contributors (@electrode-cluster)
"""

EXAMPLES = r"""
- name: Read what the stages left on this node
  electrode.cluster.electrode_state:
  register: state

- name: Show the build the units run
  ansible.builtin.debug:
    msg: "{{ state.services.build.name | default('no services yet') }}"

- name: Read the units, and sample the node's CPU and host0's packets for at most 60 s
  electrode.cluster.electrode_state:
    interface: host0
    sample_start:
      path: /var/tmp/electrode-bench/sampler.jsonl
      until: "{{ now().timestamp() + 60 }}"

- name: Stop the sampler and read its samples
  electrode.cluster.electrode_state:
    interface: host0
    sample_collect: /var/tmp/electrode-bench/sampler.jsonl
  register: after
"""

RETURN = r"""
state_dir:
  description: The folder the records were read from.
  returned: always
  type: str
  sample: /var/lib/electrode/state
kernel_tree:
  description: The prepared kernel tree (path, release, inputs) and whether it is still there; null when none was recorded.
  returned: always
  type: dict
  sample: {"path": "/var/lib/electrode/kernel/linux-source-5.10", "release": "5.10", "present": true, "inputs": {}}
builds:
  description: Every build recorded on this node by name (dir, features, commit, dirty, source_sha256), each with C(present).
  returned: always
  type: dict
  sample: {"TC_BROADCAST-FAST_QUORUM_PRUNE-FAST_REPLY-1a2b3c4d5e": {"dir": "/opt/electrode/builds/...", "present": true}}
stages:
  description: By stage, the inputs its last complete run had (C(stages/<role>.json), written by build_deps and nic_tuning).
  returned: always
  type: dict
  sample: {"nic_tuning": {"inputs": {"interface": "host0", "mtu": 3000}}}
services:
  description:
    - What the units run, read from the units themselves - C(build) (the build record whose dir is
      the replica unit's WorkingDirectory), C(accelerated) (whether the handler unit exists) and
      C(protocol) (the replica's C(-m)); null where no replica unit is installed.
  returned: always
  type: dict
  sample: {"build": {"name": "baseline-1761fc1cfbbd", "dir": "/opt/electrode/builds/baseline-1761fc1cfbbd"}, "accelerated": false,
           "protocol": "vr"}
units:
  description:
    - Each unit's load_state, active_state, sub_state, invocation_id, n_restarts, main_pid, exec_main_status,
      cpu_usage_nsec (systemd's accounting of the unit; null where it has none, as with cgroup v1 in a
      container) and process_cpu_nsec (the main process's CPU time and its children's, from C(/proc)).
  returned: always
  type: dict
  sample: {"electrode-replica.service": {"active_state": "active", "invocation_id": "2f0c...", "n_restarts": 0, "main_pid": 812}}
replica_starts:
  description: The replicas' last common start (replica -> InvocationID), null where none is recorded.
  returned: always
  type: dict
online_cpus:
  description: The node's online CPUs, in the kernel's list form.
  returned: always
  type: str
  sample: "0-1"
cpu:
  description:
    - The node's CPU times since boot from C(/proc/stat) in nanoseconds (C(user), C(nice), C(system),
      C(idle), C(iowait), C(irq), C(softirq), C(steal)), its C(boot_id) and the kernel's boot time
      C(btime). Nodes that report the same C(btime) share one kernel (the lab's containers, which
      each have a boot_id of their own), so their times are the machine's.
  returned: always
  type: dict
  sample: {"user": 81230000000, "system": 20110000000, "softirq": 1210000000, "boot_id": "5c8e...", "btime": 1764711600}
files:
  description: The sha256 of each file of O(files), null where there is none.
  returned: always
  type: dict
  sample: {"/etc/systemd/system/electrode-replica.service": "9f2c...", "/etc/systemd/system/electrode-handler.service": null}
bpf_mounts:
  description: The mount points of bpf file systems (C(/proc/self/mounts)).
  returned: always
  type: list
  elements: str
  sample: [/sys/fs/bpf]
interfaces:
  description: The node's network interfaces.
  returned: always
  type: list
  elements: str
  sample: [eth0, host0, lo]
xdp_counters:
  description: The XDP counters of O(interface) (name to value); empty where the driver shows none.
  returned: when O(interface) is set
  type: dict
  sample: {"rx_queue_0_xdp_packets": 30100, "rx_queue_0_xdp_tx": 10006}
nic:
  description:
    - O(interface)'s C(mtu), C(driver) (C(ethtool -i) - driver, version, firmware_version,
      bus_info) and C(coalesce), C(channels) (C(max) and C(current)) and C(ring) as the
      C(electrode.cluster.ethtool) module reads them; a category the driver does not support is null.
  returned: when O(nic) is true and O(interface) is set
  type: dict
  sample: {"mtu": 3000, "driver": {"driver": "veth", "version": "1.0", "firmware_version": null, "bus_info": null},
           "coalesce": null, "channels": {"max": {"rx": 2, "tx": 2}, "current": {"rx": 1, "tx": 1}}, "ring": null}
sampler:
  description: The pid of the sampler O(sample_start) started.
  returned: when O(sample_start) is set
  type: int
samples:
  description:
    - What the sampler read, oldest first, each C(t) (the node's clock), C(cpu) (C(/proc/stat) ticks
      by field), C(units) (unit to C(ns) and C(source), C(cgroup) or C(process)), C(bpf) (the
      handler's programs by id - C(type), C(run_time_ns), C(run_cnt)) and C(net) (C(rx_packets),
      C(tx_packets)); and C(header) - C(bpf_stats) (how eBPF statistics were on - C(sampler),
      C(node) or C(off - why)) and C(ticks) (clock ticks a second) - and C(error).
  returned: when O(sample_collect) is set
  type: dict
  sample: {"header": {"bpf_stats": "sampler", "ticks": 100}, "error": null,
           "samples": [{"t": 1764711600.1, "cpu": {"user": 8123, "softirq": 121}, "units": {"electrode-replica.service":
                        {"ns": 81230000, "source": "cgroup"}}, "bpf": {"42": {"type": "xdp", "run_time_ns": 1200,
                        "run_cnt": 30}}, "net": {"rx_packets": 100, "tx_packets": 90}}]}
journal:
  description:
    - What the units logged since O(journal_since) - C(lines) (each C(TIME UNIT[PID] MESSAGE), UTC)
      and C(warnings) (the lines of a warning or worse priority, and those Electrode's log marks
      as a warning or panic).
  returned: when O(journal_since) is set
  type: dict
  sample: {"lines": ["2026-12-02T09:00:01.000001Z systemd[1]: electrode-replica.service: Failed with result 'signal'."],
           "warnings": ["2026-12-02T09:00:01.000001Z systemd[1]: electrode-replica.service: Failed with result 'signal'."]}
"""

from ansible.module_utils.basic import AnsibleModule

import sys

from ansible_collections.electrode.cluster.plugins.module_utils import bench_sampler
from ansible_collections.electrode.cluster.plugins.module_utils.bench import xdp_counters
from ansible_collections.electrode.cluster.plugins.module_utils.nic import parse_driver_info, read_settings
from ansible_collections.electrode.cluster.plugins.module_utils.state import (
    UNIT_PROPERTIES,
    file_digests,
    journal_digest,
    node_state,
    parse_systemctl_show,
    process_cpu_nsec,
    read_text,
    units_services,
)


def read_units(module, units):
    systemctl = module.get_bin_path("systemctl")
    if not systemctl or not units:
        return {}
    props = ",".join(prop for prop, name in UNIT_PROPERTIES)
    rc, out, err = module.run_command([systemctl, "show", "--property=" + props] + list(units))
    if rc != 0:
        module.fail_json(msg="systemctl show failed (rc %d): %s" % (rc, err.strip()))
    states = parse_systemctl_show(out, units)
    for state in states.values():
        # Where systemd has no CPU accounting (cgroup v1 inside a container: CPUUsageNSec is not
        # set), the main process's own CPU time, read from /proc, still is.
        state["process_cpu_nsec"] = process_cpu_nsec(state.get("main_pid"))
    return states


def read_xdp_counters(module, interface):
    ethtool = module.get_bin_path("ethtool", required=True)
    rc, out, err = module.run_command([ethtool, "-S", interface])
    # A driver without statistics answers "no stats available": no counters, not a failure.
    return xdp_counters(out) if rc == 0 else {}


def read_nic(module, interface):
    ethtool = module.get_bin_path("ethtool", required=True)
    settings, error = read_settings(module.run_command, ethtool, interface)
    if error:
        module.fail_json(msg=error)
    rc, out, err = module.run_command([ethtool, "-i", interface])
    mtu = read_text("/sys/class/net/%s/mtu" % interface)
    settings["driver"] = parse_driver_info(out if rc == 0 else "")
    settings["mtu"] = int(mtu) if mtu and mtu.isdigit() else None
    return settings


def read_journal(module, units, since):
    journalctl = module.get_bin_path("journalctl", required=True)
    argv = [journalctl, "--no-pager", "--output", "json", "--since", "@%.6f" % since]
    for unit in units:
        argv += ["--unit", unit]
    rc, out, err = module.run_command(argv)
    if rc != 0:
        module.fail_json(msg="journalctl failed (rc %d): %s" % (rc, err.strip()))
    return journal_digest(out)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            state_dir=dict(type="path", default="/var/lib/electrode/state"),
            units=dict(type="list", elements="str", default=["electrode-handler.service", "electrode-replica.service"]),
            files=dict(type="list", elements="path", default=[
                "/etc/systemd/system/electrode-handler.service", "/etc/systemd/system/electrode-replica.service",
                "/usr/local/libexec/electrode/electrode-handler-clean", "/usr/local/libexec/electrode/electrode-handler-ready"]),
            starts_record=dict(type="path", default="/run/electrode-replica-starts.json"),
            interface=dict(type="str"),
            nic=dict(type="bool", default=False),
            journal_since=dict(type="float"),
            sample_start=dict(type="dict", options=dict(
                path=dict(type="path", required=True),
                until=dict(type="float", required=True),
                interval=dict(type="float", default=0.1),
                bpf_stats=dict(type="bool", default=True),
            )),
            sample_collect=dict(type="path"),
        ),
        supports_check_mode=True,
    )
    try:
        state = node_state(module.params["state_dir"], module.params["starts_record"])
        state["files"] = file_digests(module.params["files"])
        state["units"] = read_units(module, module.params["units"])
        state["services"] = units_services(state["units"], state["builds"])
        if module.params["interface"]:
            state["xdp_counters"] = read_xdp_counters(module, module.params["interface"])
            if module.params["nic"]:
                state["nic"] = read_nic(module, module.params["interface"])
        if module.params["sample_collect"]:
            header, samples, error = bench_sampler.collect(module.params["sample_collect"])
            state["samples"] = {"header": header, "samples": samples, "error": error}
        if module.params["sample_start"]:
            spec = dict(module.params["sample_start"], interface=module.params["interface"],
                        units=dict((unit, (state["units"].get(unit) or {}).get("main_pid")) for unit in state["units"]),
                        handler_pid=(state["units"].get("electrode-handler.service") or {}).get("main_pid"))
            state["sampler"] = bench_sampler.start(spec, sys.executable)
        if module.params["journal_since"] is not None:
            state["journal"] = read_journal(module, module.params["units"], module.params["journal_since"])
    except ValueError as error:
        module.fail_json(msg=str(error))
    module.exit_json(changed=False, **state)


if __name__ == "__main__":
    main()
