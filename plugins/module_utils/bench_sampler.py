# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A sampler of where a replica node spends its CPU during a benchmark run, and of its traffic.

``electrode_state`` (with ``sample_start``) starts :func:`run` as a process of its own on a
replica node just before the clients start, and (with ``sample_collect``) stops it after the run
and returns its samples. Ten times a second it records, with the node's clock:

- the node's CPU times (``/proc/stat``: user, nice, system, irq, softirq), in clock ticks;
- each Electrode unit's CPU time: its cgroup's ``usage_usec`` where the cgroup v2 file is
  readable, else its main process's user + system time (``/proc/PID/stat``);
- each eBPF program the handler holds (``/proc/PID/fdinfo`` of its ``bpf-prog`` descriptors:
  ``prog_id``, ``prog_type``, ``run_time_ns``, ``run_cnt``): the XDP and TC programs' own time,
  which runs in the kernel's softirq and no unit's accounting sees;
- the experiment interface's packet counters (``rx_packets``, ``tx_packets``): the run's time
  series (the clients' latency samples are written sorted, with no time order).

The kernel counts ``run_time_ns`` only while eBPF statistics are on: the sampler turns them on for
as long as it runs with the ``BPF_ENABLE_STATS`` command (it needs CAP_SYS_ADMIN), or finds them
on already (``kernel.bpf_stats_enabled``), and says which.

The bench cuts the samples to the clients' measured window (``bench.py``). Standard library only:
this file also runs as ``python3 -c`` on the node, outside Ansible.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ctypes
import errno
import json
import os
import platform
import signal
import sys
import time

# linux/bpf.h: the bpf() command that turns run-time statistics on while its descriptor is open.
BPF_ENABLE_STATS = 32
BPF_STATS_RUN_TIME = 0
_BPF_SYSCALL = {"x86_64": 321, "aarch64": 280, "armv7l": 386, "ppc64le": 361, "s390x": 351, "riscv64": 280}
# linux/bpf.h enum bpf_prog_type: the ones Electrode's handler loads, by name.
PROG_TYPES = {6: "xdp", 3: "tc"}
CPU_FIELDS = ("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal")


def _read(path, default=None):
    try:
        with open(path) as handle:
            return handle.read()
    except (IOError, OSError):
        return default


def parse_cpu_line(text):
    """The ``cpu`` line of ``/proc/stat`` as {field: ticks}."""
    for line in (text or "").splitlines():
        parts = line.split()
        if parts and parts[0] == "cpu":
            return dict(zip(CPU_FIELDS, (int(v) for v in parts[1:1 + len(CPU_FIELDS)])))
    return {}


def parse_fdinfo(text):
    """``/proc/PID/fdinfo/FD`` as {key: value}, numbers as int."""
    info = {}
    for line in (text or "").splitlines():
        key, sep, value = line.partition(":")
        if not sep:
            continue
        value = value.strip()
        info[key.strip()] = int(value) if value.isdigit() else value
    return info


def bpf_programs(pid, proc="/proc"):
    """The eBPF programs process ``pid`` holds: prog_id -> {type, run_time_ns, run_cnt}."""
    programs = {}
    folder = os.path.join(proc, str(pid), "fd")
    try:
        fds = os.listdir(folder)
    except (IOError, OSError):
        return programs
    for fd in fds:
        try:
            if os.readlink(os.path.join(folder, fd)) != "anon_inode:bpf-prog":
                continue
        except (IOError, OSError):
            continue
        info = parse_fdinfo(_read(os.path.join(proc, str(pid), "fdinfo", fd), ""))
        if "prog_id" not in info:
            continue
        programs[str(info["prog_id"])] = {
            "type": PROG_TYPES.get(info.get("prog_type"), str(info.get("prog_type"))),
            "run_time_ns": info.get("run_time_ns"),
            "run_cnt": info.get("run_cnt"),
        }
    return programs


def cgroup_usage_ns(pid, proc="/proc", cgroup_root="/sys/fs/cgroup"):
    """CPU time of the cgroup v2 that process ``pid`` is in (its unit), or None."""
    for line in (_read(os.path.join(proc, str(pid), "cgroup"), "") or "").splitlines():
        hierarchy, dummy, path = line.partition("::")
        if hierarchy == "0" and path:
            for entry in (_read(os.path.join(cgroup_root, path.strip().lstrip("/"), "cpu.stat"), "") or "").splitlines():
                key, dummy, value = entry.partition(" ")
                if key == "usage_usec" and value.strip().isdigit():
                    return int(value) * 1000
    return None


def process_ticks(pid, proc="/proc"):
    """utime + stime of process ``pid`` in clock ticks (fields 14 and 15 of its stat), or None."""
    text = _read(os.path.join(proc, str(pid), "stat"), "") or ""
    end = text.rfind(")")
    fields = text[end + 1:].split() if end >= 0 else []
    try:
        return int(fields[11]) + int(fields[12])
    except (IndexError, ValueError):
        return None


def take_sample(spec, proc="/proc", sys_root="/sys", clock=time.time):
    """One sample: {t, cpu, units (name -> {ns, source}), bpf (prog_id -> ...), net}."""
    ticks = spec.get("ticks") or 100
    units = {}
    for name, pid in sorted((spec.get("units") or {}).items()):
        if not pid:
            continue
        used = cgroup_usage_ns(pid, proc, os.path.join(sys_root, "fs", "cgroup"))
        if used is not None:
            units[name] = {"ns": used, "source": "cgroup"}
            continue
        own = process_ticks(pid, proc)
        if own is not None:
            units[name] = {"ns": own * 1000000000 // ticks, "source": "process"}
    net = {}
    if spec.get("interface"):
        for key in ("rx_packets", "tx_packets"):
            value = (_read(os.path.join(sys_root, "class", "net", spec["interface"], "statistics", key), "") or "").strip()
            net[key] = int(value) if value.isdigit() else None
    return {
        "t": clock(),
        "cpu": parse_cpu_line(_read(os.path.join(proc, "stat"), "")),
        "units": units,
        "bpf": bpf_programs(spec["handler_pid"], proc) if spec.get("handler_pid") else {},
        "net": net,
    }


class _BpfAttr(ctypes.Structure):
    _fields_ = [("type", ctypes.c_uint32), ("pad", ctypes.c_uint8 * 124)]


def enable_bpf_stats(proc="/proc"):
    """Turn the kernel's eBPF run-time statistics on for as long as the returned descriptor is open.

    :returns: (descriptor or None, how: ``sampler`` (this process turned them on), ``node``
        (``kernel.bpf_stats_enabled`` is 1 already) or ``off: <why>``).
    """
    number = _BPF_SYSCALL.get(platform.machine())
    fd, why = None, "no bpf() system call number for %s" % platform.machine()
    if number is not None:
        libc = ctypes.CDLL(None, use_errno=True)
        attr = _BpfAttr(type=BPF_STATS_RUN_TIME)
        result = libc.syscall(number, BPF_ENABLE_STATS, ctypes.byref(attr), ctypes.sizeof(attr))
        if result >= 0:
            return result, "sampler"
        why = "BPF_ENABLE_STATS: %s" % os.strerror(ctypes.get_errno())
    if (_read(os.path.join(proc, "sys", "kernel", "bpf_stats_enabled"), "") or "").strip() == "1":
        return fd, "node"
    return fd, "off: %s, and kernel.bpf_stats_enabled is 0" % why


def run(spec):
    """Sample every ``interval`` seconds into ``path`` (one JSON object a line; the first says
    how eBPF statistics are on) until ``until`` (seconds since the epoch) or SIGTERM."""
    stop = []
    signal.signal(signal.SIGTERM, lambda *args: stop.append(True))
    fd, how = enable_bpf_stats() if spec.get("bpf_stats", True) else (None, "off: not asked for (bench_bpf_stats)")
    spec = dict(spec, ticks=os.sysconf("SC_CLK_TCK"))
    interval = float(spec.get("interval") or 0.1)
    with open(spec["path"], "w") as out:
        out.write(json.dumps({"bpf_stats": how, "ticks": spec["ticks"], "pid": os.getpid()}) + "\n")
        while not stop and time.time() < float(spec["until"]):
            out.write(json.dumps(take_sample(spec)) + "\n")
            out.flush()
            time.sleep(interval)
        out.write(json.dumps(take_sample(spec)) + "\n")
    if fd is not None:
        os.close(fd)


def start(spec, python):
    """Start :func:`run` as a process of its own (a new session, no terminal, no inherited
    output: Ansible's connection does not wait for it). Returns its pid."""
    import inspect
    import subprocess

    source = inspect.getsource(sys.modules[__name__])
    with open(os.devnull, "rb") as null_in, open(spec["path"] + ".err", "wb") as err:
        child = subprocess.Popen([python, "-c", source + "\nrun(json.loads(sys.argv[1]))\n", json.dumps(spec)],
                                 stdin=null_in, stdout=err, stderr=err, close_fds=True, start_new_session=True)
    return child.pid


def collect(path):
    """Stop the sampler writing ``path`` and read what it wrote: (header, samples, error).

    Its samples up to now are read at once (the bench collects after the clients ended, so they
    cover the run); a line it was writing is left out, and it ends on its own after the signal."""
    header, samples, error = {}, [], None
    lines = (_read(path, "") or "").splitlines()
    if lines:
        try:
            header = json.loads(lines[0])
        except ValueError:
            header = {}
    pid = header.get("pid")
    if pid:
        try:
            os.kill(int(pid), signal.SIGTERM)
        except OSError as exc:
            if exc.errno != errno.ESRCH:
                error = "cannot stop the sampler (pid %s): %s" % (pid, exc)
    else:
        error = (_read(path + ".err", "") or "").strip()[-500:] or "the sampler wrote nothing at %s" % path
    for line in lines[1:]:
        try:
            samples.append(json.loads(line))
        except ValueError:
            continue  # a line cut short where the sampler was writing it
    for leftover in (path, path + ".err"):
        try:
            os.unlink(leftover)
        except OSError:
            pass
    return header, samples, error
