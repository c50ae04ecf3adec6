# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the stages left on a node, read back as data.

Each stage records what it made in the node's state folder (``/var/lib/electrode/state`` by
default): ``kernel_tree.json`` (kernel_source: the prepared tree and its inputs),
``builds/<name>.json`` (electrode_build: one per build tree on the node), ``stages/<role>.json``
(build_deps, nic_tuning: the inputs of their last complete run). What the units run (the
build, with or without the handler, the protocol) and their state come from the units themselves
(``systemctl show``), and the replicas' last common start from the record electrode_services keeps
in ``/run``. The ``electrode_state`` module reads all of it in one round trip, so that any stage
can run alone on a cluster brought up before: no role includes another to recover a fact.

Pure Python on paths and text, shared by the module and its unit tests.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import glob
import json
import os
import re
import time

# What is read of each unit (systemctl show --property=...), and the name each gets in the result.
UNIT_PROPERTIES = (
    ("LoadState", "load_state"),
    ("ActiveState", "active_state"),
    ("SubState", "sub_state"),
    ("InvocationID", "invocation_id"),
    ("NRestarts", "n_restarts"),
    ("MainPID", "main_pid"),
    ("ExecMainStatus", "exec_main_status"),
    ("CPUUsageNSec", "cpu_usage_nsec"),
    ("UnitFileState", "unit_file_state"),
    ("WorkingDirectory", "working_directory"),
    ("ExecStart", "exec_argv"),
)
# systemctl show prints ExecStart as "{ path=... ; argv[]=ARGV ; ignore_errors=no ; ... }".
_ARGV = re.compile(r"argv\[\]=(.*?) ; ")
_INTEGERS = ("n_restarts", "main_pid", "exec_main_status", "cpu_usage_nsec")


def parse_systemctl_show(text, units):
    """The units' properties from ``systemctl show --property=... UNIT...`` output.

    systemctl prints one block of ``Key=value`` lines per unit, in the order the units were named,
    separated by blank lines. Returns unit name -> {load_state, active_state, sub_state,
    invocation_id, n_restarts, main_pid, exec_main_status, cpu_usage_nsec}; a number systemd does
    not know (``[not set]``, an empty value) is None, as is an InvocationID of a unit not running.
    """
    blocks = []
    current = {}
    for line in text.splitlines():
        if not line.strip():
            if current:
                blocks.append(current)
                current = {}
            continue
        key, sep, value = line.partition("=")
        if sep:
            current[key.strip()] = value.strip()
    if current:
        blocks.append(current)
    if len(blocks) != len(units):
        raise ValueError(
            "systemctl show printed %d unit block(s) for %d unit(s): %s" % (len(blocks), len(units), ", ".join(units)))
    result = {}
    for unit, block in zip(units, blocks):
        state = {}
        for prop, name in UNIT_PROPERTIES:
            value = block.get(prop)
            if name in _INTEGERS:
                try:
                    value = int(value)
                except (TypeError, ValueError):
                    value = None
            elif value == "":
                value = None
            elif name == "exec_argv":
                match = _ARGV.search(value or "")
                value = match.group(1).split() if match else None
            state[name] = value
        result[unit] = state
    return result


def _read_json(path):
    """A JSON record, or None where there is none. A record that is not JSON raises ValueError."""
    try:
        with open(path) as handle:
            text = handle.read()
    except (IOError, OSError) as error:
        if error.errno == errno.ENOENT:
            return None
        raise ValueError("cannot read %s (%s): read the node's state as root (become: true)" % (path, error.strerror))
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError as error:
        raise ValueError("%s is not JSON (%s): remove it, and the stage that wrote it writes it again" % (path, error))


def read_records(state_dir):
    """The stages' records in ``state_dir``: kernel_tree, builds (by name), and stages (by role:
    ``stages/<role>.json``, the inputs a stage last ran with to the end, which a stage compares with
    its inputs now to skip what it would redo).

    A record whose folder is gone (a build tree or kernel tree removed by hand) is marked
    ``present: false`` rather than dropped, so that a stage knows to make it again.
    """
    kernel_tree = _read_json(os.path.join(state_dir, "kernel_tree.json"))
    if isinstance(kernel_tree, dict):
        kernel_tree["present"] = os.path.isdir(kernel_tree.get("path") or "")
    builds = {}
    for path in sorted(glob.glob(os.path.join(state_dir, "builds", "*.json"))):
        record = _read_json(path)
        if not isinstance(record, dict):
            continue
        name = record.get("name") or os.path.basename(path)[:-len(".json")]
        record["present"] = os.path.isdir(record.get("dir") or "")
        builds[name] = record
    stages = {}
    for path in sorted(glob.glob(os.path.join(state_dir, "stages", "*.json"))):
        record = _read_json(path)
        if isinstance(record, dict):
            stages[os.path.basename(path)[:-len(".json")]] = record
    return {
        "kernel_tree": kernel_tree if isinstance(kernel_tree, dict) else None,
        "builds": builds,
        "stages": stages,
    }


def units_services(units, builds):
    """What the units run, read from the units themselves: the replica unit's build (its
    WorkingDirectory, matched to a build record by dir), whether the handler unit exists
    (accelerated) and the protocol of the replica's ExecStart (-m). None where no replica unit
    is installed."""
    replica = (units or {}).get("electrode-replica.service") or {}
    if replica.get("load_state") != "loaded" or not replica.get("working_directory"):
        return None
    directory = replica["working_directory"].rstrip("/")
    build = next((dict(b) for b in (builds or {}).values() if (b.get("dir") or "").rstrip("/") == directory), None)
    if build is None:
        build = {"name": os.path.basename(directory), "dir": directory}
    build.pop("present", None)
    argv = replica.get("exec_argv") or []
    protocol = argv[argv.index("-m") + 1] if "-m" in argv[:-1] else None
    handler = (units or {}).get("electrode-handler.service") or {}
    return {"build": build, "accelerated": handler.get("load_state") == "loaded", "protocol": protocol}


def read_text(path, default=None):
    try:
        with open(path) as handle:
            return handle.read().strip()
    except (IOError, OSError):
        return default


_CPU_FIELDS = ("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal")


def parse_proc_stat(text, ticks_per_second=100):
    """The node-wide CPU times of ``/proc/stat`` (its ``cpu`` line, in clock ticks) in nanoseconds:
    {user, nice, system, idle, iowait, irq, softirq, steal}. Empty when there is no such line."""
    for line in (text or "").splitlines():
        parts = line.split()
        if parts and parts[0] == "cpu":
            values = [int(v) for v in parts[1:1 + len(_CPU_FIELDS)]]
            return dict((name, value * 1000000000 // ticks_per_second) for name, value in zip(_CPU_FIELDS, values))
    return {}


def parse_process_stat(text, ticks_per_second=100):
    """CPU time of a process and its waited-for children, from ``/proc/PID/stat``, in nanoseconds
    (utime + stime + cutime + cstime). The command name may hold spaces and parentheses: the
    fields are counted from its last ``)``. None for text that is not such a line."""
    end = (text or "").rfind(")")
    if end < 0:
        return None
    fields = text[end + 1:].split()
    try:
        ticks = sum(int(fields[i]) for i in (11, 12, 13, 14))
    except (IndexError, ValueError):
        return None
    return ticks * 1000000000 // ticks_per_second


def process_cpu_nsec(pid, sys_root="/"):
    """:func:`parse_process_stat` of a running process, None when there is none (pid 0, gone)."""
    if not pid:
        return None
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    return parse_process_stat(read_text(os.path.join(sys_root, "proc", str(pid), "stat"), ""), ticks)


def node_cpu(sys_root="/"):
    """The node's CPU times (:func:`parse_proc_stat`), its boot_id and the kernel's boot time
    (``btime``). Containers on one machine (the lab's nodes) each get a boot_id of their own from
    systemd-nspawn but show the one kernel's ``btime``: nodes that report one ``btime`` share a
    kernel, so their node-wide times are the machine's."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    stat = read_text(os.path.join(sys_root, "proc/stat"), "")
    cpu = parse_proc_stat(stat, ticks)
    cpu["boot_id"] = read_text(os.path.join(sys_root, "proc/sys/kernel/random/boot_id"))
    match = re.search(r"^btime\s+(\d+)", stat or "", re.M)
    cpu["btime"] = int(match.group(1)) if match else None
    return cpu


def file_digests(paths):
    """sha256 of each file's content (None where there is no such file): what a role wrote, read back
    so that it writes again only what differs from what it would write now."""
    import hashlib
    digests = {}
    for path in paths or []:
        try:
            with open(path, "rb") as handle:
                digests[path] = hashlib.sha256(handle.read()).hexdigest()
        except (IOError, OSError):
            digests[path] = None
    return digests


def bpf_mounts(mounts_text):
    """The mount points of bpf file systems in ``/proc/self/mounts`` text."""
    points = []
    for line in (mounts_text or "").splitlines():
        fields = line.split()
        if len(fields) >= 3 and fields[2] == "bpf":
            points.append(fields[1].replace("\\040", " "))
    return points


def node_state(state_dir, starts_record, sys_root="/"):
    """Everything but the units: records, the replicas' last common start, online CPUs, interfaces,
    the node's CPU times."""
    state = read_records(state_dir)
    state["cpu"] = node_cpu(sys_root)
    state["bpf_mounts"] = bpf_mounts(read_text(os.path.join(sys_root, "proc/self/mounts"), ""))
    state["state_dir"] = state_dir
    state["replica_starts"] = _read_json(starts_record)
    state["online_cpus"] = read_text(os.path.join(sys_root, "sys/devices/system/cpu/online"), "")
    net = os.path.join(sys_root, "sys/class/net")
    state["interfaces"] = sorted(os.listdir(net)) if os.path.isdir(net) else []
    return state


# A line Electrode's message.cc marks as a warning (``!``) or a panic: "DATE-TIME-FRAC PID ! ...".
_UPSTREAM_WARNING = re.compile(r"^\d{8}-\d{6}-\d{4} +\d+ (!|PANIC) ")
# syslog priorities 0 (emerg) to 4 (warning): what systemd itself logs of a unit that was killed or
# failed ("Main process exited, code=killed", "Failed with result 'signal'") and a process's
# messages with such a priority.
_WARNING_PRIORITY = 4


def _text(value):
    # journalctl --output json gives a message that is not valid UTF-8 as a list of bytes.
    if isinstance(value, list):
        return bytes(bytearray(v for v in value if isinstance(v, int))).decode("utf-8", "replace")
    return "" if value is None else str(value)


def journal_digest(text):
    """``journalctl --output json`` output -> {lines, warnings}.

    ``lines``: each entry as ``TIME UNIT[PID]: MESSAGE`` (TIME in UTC, microseconds), for people;
    ``warnings``: the lines of entries with a warning or worse priority, or that Electrode's own
    log marks as a warning or panic.
    """
    lines, warnings = [], []
    for raw in (text or "").splitlines():
        raw = raw.strip()
        if not raw:
            continue
        try:
            entry = json.loads(raw)
        except ValueError:
            continue
        try:
            usec = int(entry.get("__REALTIME_TIMESTAMP", 0))
            when = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(usec // 1000000)) + ".%06dZ" % (usec % 1000000)
        except (TypeError, ValueError, OverflowError):
            when = "?"
        source = _text(entry.get("SYSLOG_IDENTIFIER") or entry.get("_COMM") or "?")
        pid = _text(entry.get("_PID") or "")
        message = _text(entry.get("MESSAGE"))
        line = "%s %s%s: %s" % (when, source, "[%s]" % pid if pid else "", message)
        lines.append(line)
        try:
            priority = int(entry.get("PRIORITY", 6))
        except (TypeError, ValueError):
            priority = 6
        if priority <= _WARNING_PRIORITY or _UPSTREAM_WARNING.match(message):
            warnings.append(line)
    return {"lines": lines, "warnings": warnings}
